package dev.llmharness.runtime.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmharness.runtime.testing.ChildJvm;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoadJvmTest {

    /** Prints what {@link LoadJvm} says of the JVM it runs in. */
    public static final class Probe {
        public static void main(String[] args) {
            System.out.println(LoadJvm.heapPreTouched() + " " + LoadJvm.currentOptions());
        }
    }

    @Test
    void seesAlwaysPreTouchOnTheCommandLine() throws Exception {
        assertThat(ChildJvm.run(Probe.class, LoadJvm.OPTIONS))
                .startsWith("true ")
                .contains("-XX:+AlwaysPreTouch");
    }

    @Test
    void aJvmWithoutItIsNotPreTouched() throws Exception {
        assertThat(ChildJvm.run(Probe.class, List.of("-Xmx64m")))
                .startsWith("false ")
                .contains("-Xmx64m");
    }

    @Test
    void theLastOptionWins() throws Exception {
        assertThat(ChildJvm.run(Probe.class, List.of("-XX:+AlwaysPreTouch", "-XX:-AlwaysPreTouch", "-Xmx64m")))
                .startsWith("false ");
    }

    @Test
    void theAdviceNamesTheOptions() {
        assertThat(LoadJvm.PRE_TOUCH_ADVICE).contains("-Xms1g -Xmx1g -XX:+AlwaysPreTouch");
    }
}
