package dev.llmharness.runtime.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TextModelTest {
    private static final Encoding CL100K = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);

    @Test
    void everyPieceIsOneCl100kToken() {
        for (String piece : TextModel.pieces()) {
            assertThat(CL100K.countTokensOrdinary(piece))
                    .as("tokens of '%s'", piece)
                    .isEqualTo(1);
        }
    }

    @Test
    void generatedTextReTokenisesToAboutOneTokenPerPiece() {
        TextModel model = new TextModel(123);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            text.append(new String(model.next(), StandardCharsets.US_ASCII));
        }
        assertThat(CL100K.countTokensOrdinary(text.toString())).isBetween(950, 1050);
    }

    @Test
    void theSameSeedGivesTheSameText() {
        TextModel a = new TextModel(9);
        TextModel b = new TextModel(9);
        TextModel c = new TextModel(10);
        boolean differs = false;
        for (int i = 0; i < 50; i++) {
            byte[] pa = a.next();
            assertThat(b.next()).isEqualTo(pa);
            differs |= !java.util.Arrays.equals(c.next(), pa);
        }
        assertThat(differs).isTrue();
    }

    @Test
    void promptTokensAreCountedWithCl100k() {
        assertThat(PromptTokens.count("Once upon a time")).isEqualTo(4);
        assertThat(PromptTokens.count("")).isZero();
        assertThat(PromptTokens.count("<|endoftext|>")).isGreaterThan(1); // special tokens read as text
    }
}
