def log = new File(basedir, 'build.log').text
assert log.contains('nothing to compare with. Create it with -Dllmh.updateBaseline=true')
assert new File(basedir, 'results/latest.json').isFile()
assert !new File(basedir, 'results/baseline.json').exists()
return true
