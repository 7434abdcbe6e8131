def latest = new File(basedir, 'results/latest.json').text
// The forked JVM that measured ran on JDK 25 (the run's environment names it).
assert latest =~ /"jvm"\s*:\s*"[^"]*\b25[.+]/
assert new File(basedir, 'target/classes/it/bench/TinyBenchmarks.class').isFile()
return true
