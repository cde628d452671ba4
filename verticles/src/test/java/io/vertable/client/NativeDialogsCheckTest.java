package io.vertable.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client build's check against the browser's own dialogs (webroot/scripts/no-native-dialogs.mjs, run by
 * {@code npm run build}): it passes on the client as it is, and fails on each way of calling one.
 */
class NativeDialogsCheckTest {

    static final Path WEBROOT = Path.of("..", "webroot");

    record Run(int exit, String output) {}

    static Run check(Path folder) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("node", "scripts/no-native-dialogs.mjs"));
        if (folder != null) command.add(folder.toAbsolutePath().toString());
        Process process = new ProcessBuilder(command)
                .directory(WEBROOT.toFile())
                .redirectErrorStream(true)
                .start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS))
                .as("the check finished")
                .isTrue();
        return new Run(
                process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void theClientHasNoNativeDialogs() throws Exception {
        Run run = check(null);
        assertThat(run.exit()).as(run.output()).isZero();
    }

    @Test
    void eachNativeDialogFailsTheCheckWithItsPlace(@TempDir Path folder) throws Exception {
        for (String call : List.of(
                "const name = prompt('Name?');",
                "if (confirm('Sure?')) remove();",
                "alert('done');",
                "window.confirm('sure?');",
                "globalThis.alert ('x');")) {
            Files.writeString(folder.resolve("panel.js"), "// fine: askConfirm() is ours\n" + call + "\n");
            Run run = check(folder);
            assertThat(run.exit()).as(call).isEqualTo(1);
            assertThat(run.output()).contains("panel.js:2");
        }
        Files.writeString(
                folder.resolve("panel.js"),
                "await askConfirm({});\nsettings.confirm(x);\n// confirm('in a comment')\nconst alertLevel = 1;\n");
        Run clean = check(folder);
        assertThat(clean.exit()).as(clean.output()).isZero();
    }

    @Test
    void theBuildRunsTheCheck() throws IOException {
        assertThat(Files.readString(WEBROOT.resolve("package.json")))
                .contains("\"build\": \"node scripts/no-native-dialogs.mjs && vite build");
    }
}
