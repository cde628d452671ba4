package io.vertable.bench.load;

import java.util.List;

/** How long and how hard: {@code --short} (a few minutes, for the README and CI-like checks) or {@code --long}. */
enum Profile {
    SMOKE(
            1,
            List.of(100, 10),
            100,
            List.of(5_000, 20_000),
            List.of(5_000),
            3_000,
            5_000,
            2_000,
            List.of(20),
            1_000,
            5_000,
            300,
            2,
            List.of(1.0)),
    SHORT(
            2,
            List.of(100, 10, 1000),
            100,
            List.of(5_000, 10_000, 20_000, 40_000, 80_000),
            List.of(5_000),
            6_000,
            3_000,
            4_000,
            List.of(50, 150, 1000),
            2_000,
            1_500,
            800,
            10,
            List.of(1.0, 4.0)),
    LONG(
            3,
            List.of(100, 10, 1000),
            100,
            List.of(5_000, 10_000, 20_000, 40_000, 60_000, 80_000, 120_000, 160_000),
            List.of(10_000, 40_000),
            30_000,
            15_000,
            15_000,
            List.of(100, 500, 1000, 2000),
            10_000,
            2_000,
            2_000,
            50,
            List.of(1.0, 4.0, 10.0));

    final int rounds;
    final List<Integer> w2Sizes;
    final int ladderSize;
    /** Offered deliveries/s of the W2 ladder (the ladder room), and of the other W2 rooms. */
    final List<Integer> ladder;

    final List<Integer> fixedLoads;
    final long warmupMs;
    final long stepMs;
    final long w5Ms;
    final List<Integer> w1Rooms;
    final long drainMs;
    final double w5Deliveries = 10_000;
    final long warmupRate = 20_000;
    final int idleConnections;
    final long settleMs;
    final long pauseMs = 300;
    final int durableRooms;
    final List<Double> durableMovesPerUser;
    /** Moves per second per player in W1 (drag previews; a 20 Hz drag burst every few seconds averages about this). */
    final double w1MovesPerUser = 2;
    /** Padding so a move is about the size of a real token move frame (~150 bytes). */
    final int padBytes = 60;

    final List<String> extraServerFlags = List.of("-XX:+UseG1GC");

    /** W4's offered deliveries/s (a room of 10 over two clustered nodes). */
    List<Integer> w4Loads() {
        return switch (this) {
            case SMOKE -> List.of(2_000);
            case SHORT -> List.of(2_000, 10_000);
            case LONG -> List.of(2_000, 10_000, 20_000);
        };
    }

    Profile(
            int rounds,
            List<Integer> w2Sizes,
            int ladderSize,
            List<Integer> ladder,
            List<Integer> fixedLoads,
            long warmupMs,
            long stepMs,
            long w5Ms,
            List<Integer> w1Rooms,
            int idleConnections,
            long drainMs,
            long settleMs,
            int durableRooms,
            List<Double> durableMovesPerUser) {
        this.rounds = rounds;
        this.w2Sizes = w2Sizes;
        this.ladderSize = ladderSize;
        this.ladder = ladder;
        this.fixedLoads = fixedLoads;
        this.warmupMs = warmupMs;
        this.stepMs = stepMs;
        this.w5Ms = w5Ms;
        this.w1Rooms = w1Rooms;
        this.idleConnections = idleConnections;
        this.drainMs = drainMs;
        this.settleMs = settleMs;
        this.durableRooms = durableRooms;
        this.durableMovesPerUser = durableMovesPerUser;
    }
}
