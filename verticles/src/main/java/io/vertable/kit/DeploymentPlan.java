package io.vertable.kit;

import io.vertable.shared.VerticleName;
import io.vertx.core.json.JsonObject;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * Which verticles a node runs and how many instances of each. Verticles with zero instances are not deployed.
 *
 * @param instances instance count per verticle, every verticle present
 */
public record DeploymentPlan(Map<VerticleName, Integer> instances) {

    /** No node needs more; a larger number is a typo, not a plan (each instance is a verticle on an event loop). */
    public static final int MAX_INSTANCES = 64;

    public DeploymentPlan {
        var copy = new EnumMap<VerticleName, Integer>(VerticleName.class);
        for (VerticleName v : VerticleName.values()) copy.put(v, instances.getOrDefault(v, 0));
        instances = Collections.unmodifiableMap(copy);
    }

    /**
     * Parses the {@code VTT_DEPLOY} form, {@code "http:2,bridge:1"}; verticles it does not name get 0 instances.
     *
     * @param source where the text came from, for error messages (e.g. "VTT_DEPLOY")
     */
    public static DeploymentPlan parse(String text, String source) {
        var counts = new EnumMap<VerticleName, Integer>(VerticleName.class);
        for (String part : text.split(",")) {
            String item = part.trim();
            if (item.isEmpty()) continue;
            int colon = item.indexOf(':');
            String name = colon < 0 ? item : item.substring(0, colon).trim();
            String count = colon < 0 ? "1" : item.substring(colon + 1).trim();
            VerticleName verticle = verticle(name, source);
            if (counts.containsKey(verticle)) {
                throw new ConfigException(source + ": verticle '" + name + "' is named twice");
            }
            counts.put(verticle, instances(count, source + ": " + name));
        }
        if (counts.isEmpty()) throw new ConfigException(source + ": names no verticle (e.g. http:1,persistence:1)");
        return new DeploymentPlan(counts);
    }

    /** Reads the {@code deploy} object of the config: verticle name → instances. */
    public static DeploymentPlan fromJson(JsonObject json, String source) {
        var counts = new EnumMap<VerticleName, Integer>(VerticleName.class);
        for (String name : json.fieldNames()) {
            Object value = json.getValue(name);
            String text = value instanceof Number n && n.doubleValue() == n.longValue()
                    ? Long.toString(n.longValue())
                    : String.valueOf(value);
            counts.put(verticle(name, source), instances(text, source + "." + name));
        }
        return new DeploymentPlan(counts);
    }

    private static VerticleName verticle(String name, String source) {
        return VerticleName.fromConfigName(name)
                .orElseThrow(() -> new ConfigException(
                        source + ": unknown verticle '" + name + "' (known: " + VerticleName.known() + ")"));
    }

    private static int instances(String text, String key) {
        int count;
        try {
            count = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new ConfigException(key + ": instances must be a whole number, got '" + text + "'");
        }
        if (count < 0) throw new ConfigException(key + ": instances must not be negative, got " + count);
        if (count > MAX_INSTANCES) {
            throw new ConfigException(key + ": instances must be at most " + MAX_INSTANCES + ", got " + count);
        }
        return count;
    }

    /** A JSON value that is a valid instance count: a whole number from 0 to {@link #MAX_INSTANCES}. */
    public static boolean validInstances(Object value) {
        return value instanceof Number n
                && n.doubleValue() == Math.rint(n.doubleValue())
                && n.doubleValue() >= 0
                && n.doubleValue() <= MAX_INSTANCES;
    }

    public int instancesOf(VerticleName verticle) {
        return instances.get(verticle);
    }

    public boolean runs(VerticleName verticle) {
        return instancesOf(verticle) > 0;
    }

    public boolean isEmpty() {
        return instances.values().stream().allMatch(n -> n == 0);
    }

    public JsonObject toJson() {
        var json = new JsonObject();
        instances.forEach((verticle, count) -> json.put(verticle.configName(), count));
        return json;
    }

    /** "http:1,persistence:2" — the same form VTT_DEPLOY takes; verticles with no instance are left out. */
    @Override
    public String toString() {
        var text = new StringBuilder();
        instances.forEach((verticle, count) -> {
            if (count > 0)
                text.append(text.isEmpty() ? "" : ",")
                        .append(verticle.configName())
                        .append(':')
                        .append(count);
        });
        return text.isEmpty() ? "(nothing)" : text.toString();
    }
}
