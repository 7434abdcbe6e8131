package dev.llmharness.runtime.cli;

import dev.llmharness.api.Api;
import dev.llmharness.api.Defaults;
import dev.llmharness.runtime.client.ClientDefaults;
import dev.llmharness.runtime.client.Target;
import dev.llmharness.runtime.protocol.EngineProbe;
import dev.llmharness.runtime.settings.ServerUrl;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import okhttp3.OkHttpClient;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code llmh probe --url U}: which engine answers at {@code U}, its version, its models, whether
 * it is healthy, and which APIs the harness can speak to it. Sends no generation request.
 */
@Command(
        name = "probe",
        mixinStandardHelpOptions = true,
        description = "Say which engine answers at a URL, its version, models, health and APIs.")
public final class ProbeCommand implements Callable<Integer> {
    @Option(names = "--url", required = true, description = "Base URL of the server, e.g. http://127.0.0.1:8080.")
    String url;

    @Option(
            names = "--api-key-env",
            defaultValue = Defaults.API_KEY_ENV,
            description = "Environment variable holding the API key. Default: LLMH_API_KEY.")
    String apiKeyEnv;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String checked = OptionText.url(spec, "--url", url);
        if (checked == null) {
            throw OptionText.invalid(spec, "--url", "\"\"", "give the server's base URL, e.g. " + ServerUrl.EXAMPLE);
        }
        String base = Target.normaliseBaseUrl(checked);
        OkHttpClient http = new OkHttpClient.Builder()
                .callTimeout(ClientDefaults.PROBE_TIMEOUT)
                .readTimeout(ClientDefaults.PROBE_TIMEOUT)
                .build();
        try {
            EngineProbe.Discovery d = EngineProbe.discover(http, base, System.getenv(apiKeyEnv));
            out.println("engine   " + d.engine().displayName());
            out.println("version  " + (d.version() == null ? "(not reported)" : d.version()));
            out.println("models   " + (d.models().isEmpty() ? "(none listed)" : String.join(", ", d.models())));
            out.println("health   " + d.health() + (d.healthy() ? " (healthy)" : " (not ready)"));
            out.println("apis     " + d.apis().stream().map(Api::name).collect(Collectors.joining(", ")));
            out.println("tokenize " + tokenizer(http, base, d));
            if (!d.healthy()) {
                err.println("llmh probe: " + base + " is not ready (" + d.health() + "); wait for it to load the"
                        + " model, then probe again");
                return Llmh.USAGE;
            }
            return Llmh.OK;
        } catch (EngineProbe.NotReadyException e) {
            err.println("llmh probe: " + e.getMessage() + "; wait for it to load the model, then probe again");
            return Llmh.USAGE;
        } catch (IOException e) {
            err.println("llmh probe: cannot identify the server at " + base + ": " + e.getMessage());
            return Llmh.USAGE;
        } finally {
            http.dispatcher().executorService().shutdown();
            http.connectionPool().evictAll();
        }
    }

    /** The server's own tokenizer ({@code --tokenizer server} uses it), or why there is none. */
    private String tokenizer(OkHttpClient http, String base, EngineProbe.Discovery d) {
        try {
            dev.llmharness.runtime.tokenize.ServerTokenizer t =
                    dev.llmharness.runtime.tokenize.ServerTokenizers.discover(
                            http, base, d.models().isEmpty() ? "" : d.models().get(0), System.getenv(apiKeyEnv));
            return t == null ? "(none: --tokenizer server cannot be used)" : t.endpoint();
        } catch (IOException e) {
            return "(not asked: " + e.getMessage() + ")";
        }
    }
}
