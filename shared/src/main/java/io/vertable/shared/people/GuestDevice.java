package io.vertable.shared.people;

/**
 * A guest's way back to the same identity from the same browser: a device credential in an HttpOnly cookie sent only
 * to its own route, rotated on every use.
 */
public final class GuestDevice {

    /** The cookie's name. */
    public static final String COOKIE = "vtt_device";

    /** The only path the browser sends the cookie to. */
    public static final String PATH = "/api/auth/device";

    /** A credential older than this is refused, however often it was used: the guest joins again by invite. */
    public static final int MAX_AGE_DAYS = 90;

    private GuestDevice() {}
}
