def log = new File(basedir, 'build.log').text
assert log.contains("llmh.classpathScope must be test or main, got 'tests'")
assert log.contains('llmh:gate failed with exit code 2: a bad option or configuration')
assert log =~ /\[ERROR\]\s+.*'fast'/
assert !new File(basedir, 'results/latest.json').exists()
return true
