package dev.llmharness.runtime.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmharness.api.Api;
import dev.llmharness.runtime.sim.SimConfig;
import dev.llmharness.runtime.sim.SimServer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.OptionalInt;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

/** The slots a server states ({@link ServerCapacity}), which bound {@code --preopen auto}. */
class ServerCapacityTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aWholePositiveNumberIsAStatedCapacityAndAnythingElseIsNone() throws Exception {
        assertThat(ServerCapacity.positive(JSON.readTree("{\"total_slots\": 4}"), "total_slots"))
                .isEqualTo(OptionalInt.of(4));
        for (String body : new String[] {
            "{\"total_slots\": 0}",
            "{\"total_slots\": -2}",
            "{\"total_slots\": \"4\"}",
            "{\"total_slots\": 2.5}",
            "{\"other\": 4}",
            "[]"
        }) {
            assertThat(ServerCapacity.positive(JSON.readTree(body), "total_slots"))
                    .as(body)
                    .isEmpty();
        }
        assertThat(ServerCapacity.positive(null, "total_slots")).isEmpty();
    }

    @Test
    void theSimulatorStatesItsBatchSlotsAsLlamaCppDoes() {
        OkHttpClient http = HttpClients.forLoad(4, ClientTimeouts.defaults());
        try (SimServer sim = SimServer.start(
                SimConfig.preset("fixed-itl").toBuilder().maxNumSeqs(3).build())) {
            Target target =
                    new Target(sim.baseUrl(), Api.OPENAI_CHAT, sim.config().model(), null, null, true);
            assertThat(ServerCapacity.of(http, target)).isEqualTo(OptionalInt.of(3));
        } finally {
            HttpClients.close(http);
        }
    }

    @Test
    void aServerThatCannotBeAskedStatesNothing() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        OkHttpClient http = HttpClients.forLoad(4, ClientTimeouts.defaults());
        try {
            Target target = new Target("http://127.0.0.1:" + port, Api.OPENAI_CHAT, "m", null, null, false);
            assertThat(ServerCapacity.of(http, target)).isEmpty();
        } finally {
            HttpClients.close(http);
        }
    }
}
