package io.vertable.http;

import io.vertable.shared.people.GuestDevice;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.ext.web.RoutingContext;

/**
 * The guest's device credential as a cookie the page's scripts cannot read (HttpOnly), sent only to its own route
 * (Path) and never from another site (SameSite=Strict), Secure when the node is reached over HTTPS.
 */
final class DeviceCookies {

    private final boolean secure;

    DeviceCookies(String publicUrl) {
        this.secure = publicUrl != null && publicUrl.startsWith("https:");
    }

    void set(RoutingContext ctx, String credential) {
        ctx.response().addCookie(cookie(credential).setMaxAge(GuestDevice.MAX_AGE_DAYS * 24L * 3600));
    }

    void clear(RoutingContext ctx) {
        ctx.response().addCookie(cookie("").setMaxAge(0));
    }

    static String read(RoutingContext ctx) {
        Cookie cookie = ctx.request().getCookie(GuestDevice.COOKIE);
        return cookie == null ? null : cookie.getValue();
    }

    private Cookie cookie(String value) {
        return Cookie.cookie(GuestDevice.COOKIE, value)
                .setPath(GuestDevice.PATH)
                .setHttpOnly(true)
                .setSameSite(CookieSameSite.STRICT)
                .setSecure(secure);
    }
}
