package io.vertable.kit;

/** A configuration problem, phrased as the one line an operator needs: which key, which value, what is wrong. */
public final class ConfigException extends RuntimeException {

    public ConfigException(String line) {
        super(line, null, false, false);
    }
}
