package dev.llmharness.runtime.selfbench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmharness.runtime.result.ResultJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/** Reads and drains the simulator's ground truth over HTTP ({@code GET /admin/ground-truth?clear=true}). */
final class GroundTruthClient {
    /** One record, the fields selfbench uses; times are the simulator's {@code System.nanoTime()}. */
    record Truth(String requestId, String outcome, Long receivedNanos, Long firstTokenNanos, long[] tokenNanos) {}

    private static final ObjectMapper MAPPER = ResultJson.mapper();

    private final OkHttpClient http;
    private final String url;

    GroundTruthClient(OkHttpClient http, String baseUrl) {
        this.http = http;
        this.url = baseUrl + "/admin/ground-truth?clear=true";
    }

    /** Every record kept since the last call, removing them from the simulator. */
    List<Truth> drain() {
        try (Response response =
                http.newCall(new Request.Builder().url(url).get().build()).execute()) {
            if (response.code() != 200) {
                throw new IllegalStateException("the simulator answered " + response.code() + " to GET " + url);
            }
            try (InputStream body = response.body().byteStream()) {
                return Arrays.asList(MAPPER.readValue(body, Truth[].class));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the simulator's ground truth from " + url, e);
        }
    }
}
