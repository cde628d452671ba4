package io.vertable.security;

import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * This node's token buckets, shared by all its verticle instances (event loops), so a limit holds per node however
 * many instances serve it. Bounded: when full, buckets that have refilled completely go first (forgetting those
 * changes nothing), then the least recently used.
 */
final class LocalBuckets implements Shareable {

    static final int CAPACITY = 50_000;
    private static final String MAP = "vtt.rate-limit-buckets";

    private final int capacity;
    private final Map<String, TokenBucket> buckets = new LinkedHashMap<>(1024, 0.75f, true);

    LocalBuckets(int capacity) {
        this.capacity = capacity;
    }

    /** The node's one set of buckets. */
    static LocalBuckets of(Vertx vertx) {
        LocalMap<String, LocalBuckets> map = vertx.sharedData().getLocalMap(MAP);
        LocalBuckets fresh = new LocalBuckets(CAPACITY);
        LocalBuckets existing = map.putIfAbsent("buckets", fresh);
        return existing == null ? fresh : existing;
    }

    /** @return 0 when a token was taken, else how many ms until one will be there */
    synchronized long take(String key, double ratePerSecond, int burst, long nowMs) {
        TokenBucket bucket = buckets.get(key);
        if (bucket == null) {
            if (buckets.size() >= capacity) makeRoom(nowMs);
            bucket = new TokenBucket(ratePerSecond, burst, nowMs);
            buckets.put(key, bucket);
        }
        return bucket.take(nowMs);
    }

    synchronized void forget(String key) {
        buckets.remove(key);
    }

    synchronized int size() {
        return buckets.size();
    }

    private void makeRoom(long nowMs) {
        buckets.values().removeIf(bucket -> bucket.fullAt(nowMs));
        Iterator<TokenBucket> eldest = buckets.values().iterator();
        while (buckets.size() >= capacity * 9L / 10 && eldest.hasNext()) {
            eldest.next();
            eldest.remove();
        }
    }
}
