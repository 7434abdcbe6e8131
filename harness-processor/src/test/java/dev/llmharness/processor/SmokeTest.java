package dev.llmharness.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import org.junit.jupiter.api.Test;

class SmokeTest {
    @Test
    void smoke() throws Exception {
        Compilation c = Compiled.compile(Compiled.source(
                "com.example.Chat",
                "package com.example;",
                "import dev.llmharness.api.*;",
                "@OpenLoop(rate = {2, 4})",
                "public class Chat {",
                "  @Param({\"0.0\", \"0.7\"}) double temperature;",
                "  @Benchmark public ChatRequest chat(Prompt prompt) { return ChatRequest.of(prompt).temperature(temperature); }",
                "  @Benchmark @ClosedLoop(concurrency = 3) @TokenShape(input = {10, 20}, output = 5) public LlmRequest other() { return ChatRequest.of(\"x\", 3); }",
                "}"));
        System.out.println(c.diagnostics());
        System.out.println(
                c.generatedSourceFile("com.example.Chat_BenchmarkSuite").get().getCharContent(true));
        assertThat(c).succeededWithoutWarnings();
    }
}
