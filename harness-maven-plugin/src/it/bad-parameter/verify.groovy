def log = new File(basedir, 'build.log').text
assert log.contains("llmh: invalid -Dllmh.classpathScope=tests: use test or main")
assert log.contains('llmh:gate failed with exit code 2: a bad option or configuration')
assert log =~ /\[ERROR\]\s+.*'fast'/
assert !new File(basedir, 'results/latest.json').exists()
return true
