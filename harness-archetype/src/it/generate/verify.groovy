def project = new File(basedir, 'my-bench')
def log = new File(basedir, 'build.log').text
assert new File(project, 'src/main/java/com/example/bench/ChatBenchmarks.java').text.startsWith('package com.example.bench;')
assert new File(project, '.gitignore').text.contains('results/latest.json')
def workflow = new File(project, '.github/workflows/bench.yml').text
assert workflow.contains('${{ github.base_ref }}')
assert workflow.contains('<!-- llmh-compare -->')
assert workflow.contains('GITHUB_STEP_SUMMARY')
def pom = new File(project, 'pom.xml').text
assert pom.contains('<artifactId>harness-maven-plugin</artifactId>')
assert !pom.contains('${llmhVersion}')
// verify -Pbench ran the example against the simulator and had no baseline to compare with.
assert new File(project, 'results/latest.json').text.contains('com.example.bench.ChatBenchmarks.chat')
assert new File(project, 'target/benchmarks.jar').isFile()
assert log.contains('nothing to compare with')
return true
