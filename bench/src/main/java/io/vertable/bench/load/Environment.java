package io.vertable.bench.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/** What the run ran on: machine, versions, pinning. */
final class Environment {

    String cpu;
    int cores;
    int hostCores;
    String kernel;
    String java;
    String node;
    String socketIo;
    String vertx;
    String serverCpus;
    String generatorAffinity;
    boolean pinned;
    String profile;
    long seconds;

    static Environment collect(Path repo, Profile profile) {
        Environment env = new Environment();
        env.profile = profile.name().toLowerCase();
        env.cores = Runtime.getRuntime().availableProcessors();
        env.cpu = exec(List.of("sh", "-c", "lscpu | grep -m1 'Model name' | sed 's/.*: *//'"))
                .trim();
        env.kernel = exec(List.of("uname", "-sr")).trim();
        env.java = System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version");
        env.node = exec(List.of("node", "--version")).trim();
        env.socketIo = versionOf(repo.resolve("bench/peers/node_modules/socket.io/package.json"));
        String vertxVersion = io.vertx.core.Vertx.class.getPackage().getImplementationVersion();
        env.vertx = vertxVersion == null ? "5.0.10 (BOM)" : vertxVersion;
        boolean taskset = !exec(List.of("sh", "-c", "command -v taskset")).isBlank();
        int hostCores = Integer.parseInt(exec(List.of("nproc", "--all")).trim());
        env.hostCores = hostCores;
        env.pinned = taskset && hostCores >= 2;
        env.serverCpus = env.pinned ? "0" : null;
        env.generatorAffinity = taskset
                ? exec(List.of(
                                "taskset",
                                "-pc",
                                String.valueOf(ProcessHandle.current().pid())))
                        .trim()
                        .replaceAll(".*: *", "")
                : "unknown";
        return env;
    }

    String pinningNote() {
        return pinned
                ? "servers pinned to CPU 0 (taskset -c 0, -XX:ActiveProcessorCount=1; C runs one event loop, A Vert.x's"
                        + " default two, its bridge's and its room owners' verticles on different ones); generator on CPU "
                        + generatorAffinity
                : "NOT PINNED (taskset missing or a single core): server and generator share the CPUs";
    }

    private static String versionOf(Path packageJson) {
        try {
            var m = Pattern.compile("\"version\"\\s*:\\s*\"([^\"]+)\"").matcher(Files.readString(packageJson));
            return m.find() ? m.group(1) : "?";
        } catch (IOException e) {
            return "not installed";
        }
    }

    static String exec(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            p.waitFor(30, TimeUnit.SECONDS);
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
