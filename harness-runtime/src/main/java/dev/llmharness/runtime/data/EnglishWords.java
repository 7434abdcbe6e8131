package dev.llmharness.runtime.data;

import java.util.List;

/**
 * Common English words by part of speech, the raw material of synthetic prompts. Kept in code
 * rather than a resource file so that the generator cannot lose its corpus to packaging.
 * Words that are not a single token (with their leading space) under an encoding are dropped for
 * that encoding by {@link SyntheticText}.
 */
final class EnglishWords {
    private EnglishWords() {}

    /** Opens a sentence; capitalised. */
    static final List<String> SENTENCE_STARTS = words("""
            The This That Every Each Our Their Your My His Her One Another No Any
            """);

    static final List<String> DETERMINERS = words("""
            the this that every each our their your my his her one another no any
            """);

    static final List<String> NOUNS = words("""
            time year people way day man thing woman life child world school state family
            student group country problem hand part place case week company system program
            question work government number night point home water room mother area money
            story fact month lot right study book eye job word business issue side kind head
            house service friend father power hour game line end member law car city
            community name president team minute idea kid body information back parent face
            others level office door health person art war history party result change
            morning reason research girl guy moment air teacher force education foot boy age
            policy music market sense nation plan college interest death experience effect
            class control care field development role effort rate heart drug show leader
            light voice wife police mind price report decision son view relationship town
            road arm difference value building action model season society tax director
            position player record paper space ground form event official matter center
            couple site project activity star table need court oil situation cost industry
            figure street image phone data picture practice piece land product doctor wall
            patient worker news test movie north love support technology step baby computer
            type attention film tree source organization hair window evidence population
            site river garden island mountain forest bridge station engine signal network
            server client request answer message letter window kitchen bottle coffee dinner
            season summer winter spring autumn village harbor valley desert ocean planet
            """);

    /** Third person singular, present tense, transitive. */
    static final List<String> VERBS = words("""
            finds builds takes makes brings holds keeps gives shows leaves feels follows
            needs wants likes helps starts turns moves plays hears reads writes opens
            changes meets watches carries sends sells pays loses wins buys offers reaches
            raises passes serves expects covers opens checks fixes paints cleans cooks
            draws drives fills joins knows learns lifts loves marks mixes names notes
            orders owns packs picks plans pulls pushes saves shares signs solves sorts
            studies supports tests tracks trades trains trusts uses visits walks washes
            wears answers asks calls counts designs drops enters explains handles imagines
            improves invites launches manages measures notices observes prepares protects
            reports requests returns reviews shapes stores teaches touches values welcomes
            """);

    static final List<String> ADJECTIVES = words("""
            new good high old great big small large young different long little important
            political bad white real best right social only public sure low early able human
            local late hard major better economic strong possible whole free military true
            federal international full special easy clear recent certain personal open red
            difficult available likely short single medical current wrong private past
            foreign fine common poor natural significant similar hot dead central happy
            serious ready simple left physical general environmental financial blue
            democratic dark various entire close legal religious cold final main green nice
            huge popular traditional cultural quiet bright warm fresh heavy light quick slow
            calm busy clean rich safe wide deep soft loud rare plain proud brave gentle
            """);

    static final List<String> ADVERBS = words("""
            quickly slowly often always never sometimes usually really also still just
            almost quietly carefully easily rarely simply clearly nearly finally suddenly
            certainly gently openly happily calmly boldly warmly widely deeply truly
            """);

    static final List<String> PREPOSITIONS = words("""
            in on at by with from into over under near after before during through across
            behind beyond around without within against along toward above below
            """);

    static final List<String> CONJUNCTIONS = words("""
            and but while because although since so yet
            """);

    private static List<String> words(String block) {
        return List.of(block.trim().split("\\s+"));
    }
}
