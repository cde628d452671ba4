package io.vertable.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * The {@link VisionBenchmark}'s move and room load, timed by the CPU time of the thread that runs it rather than the wall clock: on a
 * shared machine the wall clock also counts the time the thread waited for a core, which is the host's load, not the
 * work. Collections run on other threads and are reported apart.
 *
 * <p>Run: {@code java -cp bench/target/vertable-bench.jar io.vertable.bench.VisionCpuTime [moves [loads]]}.
 */
public final class VisionCpuTime {

    public static void main(String[] args) {
        int moves = args.length > 0 ? Integer.parseInt(args[0]) : 5_000;
        int loads = args.length > 1 ? Integer.parseInt(args[1]) : 300;
        VisionBenchmark bench = new VisionBenchmark();
        bench.setUp();
        time("moveAndViews", moves, bench::moveAndViews);
        time("loadRoom", loads, bench::loadRoom);
    }

    private static void time(String name, int runs, Runnable op) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (int i = 0; i < runs / 2; i++) op.run();
        long gcCount = gcCount(), gcMillis = gcMillis();
        long[] cpu = new long[runs];
        long[] wall = new long[runs];
        for (int i = 0; i < runs; i++) {
            long cpu0 = threads.getCurrentThreadCpuTime(), wall0 = System.nanoTime();
            op.run();
            cpu[i] = threads.getCurrentThreadCpuTime() - cpu0;
            wall[i] = System.nanoTime() - wall0;
        }
        System.out.printf(
                "%s runs=%d cpu %s | wall %s | gc %d collections, %d ms%n",
                name, runs, percentiles(cpu), percentiles(wall), gcCount() - gcCount, gcMillis() - gcMillis);
    }

    private static String percentiles(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        StringBuilder out = new StringBuilder();
        for (double p : new double[] {0.5, 0.9, 0.99, 0.999}) {
            long v = sorted[Math.min(sorted.length - 1, (int) Math.floor(p * sorted.length))];
            out.append(String.format("p%s=%.3fms ", p * 100, v / 1e6));
        }
        out.append(String.format("max=%.3fms", sorted[sorted.length - 1] / 1e6));
        return out.toString();
    }

    private static long gcCount() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(GarbageCollectorMXBean::getCollectionCount)
                .sum();
    }

    private static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(GarbageCollectorMXBean::getCollectionTime)
                .sum();
    }
}
