package io.vertable.shared;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** The six kinds of verticle a node's deployment plan may name, by the name used in config. */
public enum VerticleName {
    HTTP("http"),
    BRIDGE("bridge"),
    DICE("dice"),
    MAP("map"),
    CHAT("chat"),
    PERSISTENCE("persistence");

    private final String configName;

    VerticleName(String configName) {
        this.configName = configName;
    }

    public String configName() {
        return configName;
    }

    public static Optional<VerticleName> fromConfigName(String name) {
        return Arrays.stream(values()).filter(v -> v.configName.equals(name)).findFirst();
    }

    /** "http, bridge, …" for error messages. */
    public static String known() {
        return Arrays.stream(values()).map(VerticleName::configName).collect(Collectors.joining(", "));
    }
}
