package io.vertable.security;

/**
 * A token bucket: {@code burst} tokens, refilled at {@code ratePerSecond}. Pure and single-threaded (callers keep one
 * per event-loop owner); the cluster-wide version of the same arithmetic runs in Redis ({@link RateLimiter}).
 */
public final class TokenBucket {

    private final double ratePerMs;
    private final int burst;
    private double tokens;
    private long updatedAt;

    public TokenBucket(double ratePerSecond, int burst, long nowMs) {
        this.ratePerMs = ratePerSecond / 1000.0;
        this.burst = burst;
        this.tokens = burst;
        this.updatedAt = nowMs;
    }

    /** True when the bucket would be full at {@code nowMs}: it then limits no more than a new one. */
    public boolean fullAt(long nowMs) {
        return tokens + Math.max(0, nowMs - updatedAt) * ratePerMs >= burst;
    }

    /** @return 0 when a token was taken, else how many ms until one will be there */
    public long take(long nowMs) {
        tokens = Math.min(burst, tokens + Math.max(0, nowMs - updatedAt) * ratePerMs);
        updatedAt = Math.max(updatedAt, nowMs);
        if (tokens >= 1) {
            tokens -= 1;
            return 0;
        }
        return (long) Math.ceil((1 - tokens) / ratePerMs);
    }
}
