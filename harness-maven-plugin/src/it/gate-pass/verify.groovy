def log = new File(basedir, 'build.log').text
assert new File(basedir, 'results/baseline.json').isFile()
assert new File(basedir, 'results/latest.json').isFile()
assert new File(basedir, 'results/comparison.md').text.startsWith('<!-- llmh-compare -->')
assert log.contains('-Xms1g -Xmx1g -XX:+AlwaysPreTouch')
assert log.contains('bench: promoted')
assert log.contains('bench: passed: NO GATED REGRESSION')
assert log.contains('PASS  ttft p99 <= 30s')
return true
