package io.vertable.shared.wire;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The room archive, a ZIP file: {@code manifest.json} (format, version, room, counts and the SHA-256 of every other
 * entry), the log in pages {@code events/000001.jsonl} (one event per line, in seq order), the newest snapshot
 * {@code snapshot.json} if the room has one, {@code sheets.json}, {@code notes.json} (the GM's notes and handouts as
 * the log leaves them) and each image as {@code images/<id>.<ext>}. The manifest is written last, once every checksum
 * is known.
 */
public final class RoomArchive {

    public static final String FORMAT = "vertable-room-archive";
    /** The version this server writes and the newest it reads. */
    public static final int VERSION = 1;

    public static final String CONTENT_TYPE = "application/zip";
    public static final String MANIFEST = "manifest.json";
    public static final String SNAPSHOT = "snapshot.json";
    public static final String SHEETS = "sheets.json";
    public static final String NOTES = "notes.json";
    public static final String EVENTS_FOLDER = "events/";
    public static final String IMAGES_FOLDER = "images/";

    private static final Pattern EVENTS_PAGE = Pattern.compile("events/[0-9]{6}\\.jsonl");
    private static final Pattern IMAGE = Pattern.compile("images/[A-Za-z0-9_-]{1,64}\\.(png|jpg|gif|webp)");

    private RoomArchive() {}

    /** The name of the n-th page of the log, from 1. */
    public static String eventsPage(int n) {
        return String.format(Locale.ROOT, "events/%06d.jsonl", n);
    }

    public static String image(String id, String extension) {
        return IMAGES_FOLDER + id + "." + extension;
    }

    /**
     * Whether an entry name stays inside the archive: relative, forward slashes only, no {@code .} or {@code ..}
     * segment, no drive letter, no control character.
     */
    public static boolean isSafeName(String name) {
        if (name.isEmpty() || name.startsWith("/") || name.contains("\\") || name.contains(":")) return false;
        if (name.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) return false;
        for (String segment : name.split("/", -1)) {
            if (segment.equals("..") || segment.equals(".")) return false;
        }
        return true;
    }

    /** Whether a name is one this version writes (the manifest itself included). */
    public static boolean isKnownName(String name) {
        return name.equals(MANIFEST)
                || name.equals(SNAPSHOT)
                || name.equals(SHEETS)
                || name.equals(NOTES)
                || EVENTS_PAGE.matcher(name).matches()
                || IMAGE.matcher(name).matches();
    }

    public static boolean isEventsPage(String name) {
        return EVENTS_PAGE.matcher(name).matches();
    }

    public static boolean isImage(String name) {
        return IMAGE.matcher(name).matches();
    }

    /** The asset id of an image entry's name. */
    public static String imageId(String name) {
        return name.substring(IMAGES_FOLDER.length(), name.lastIndexOf('.'));
    }
}
