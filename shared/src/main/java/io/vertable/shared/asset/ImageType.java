package io.vertable.shared.asset;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * The image formats a room may store, recognised by their first bytes (their magic numbers) — never by the file name
 * or the type the browser declared, both of which the uploader chooses. What is not one of these is not stored.
 */
public enum ImageType {
    PNG("image/png", "png"),
    JPEG("image/jpeg", "jpg"),
    GIF("image/gif", "gif"),
    WEBP("image/webp", "webp");

    /** Bytes {@link #of} looks at; a file shorter than a format's header is not that format. */
    public static final int HEADER_BYTES = 16;

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private final String contentType;
    private final String extension;

    ImageType(String contentType, String extension) {
        this.contentType = contentType;
        this.extension = extension;
    }

    public String contentType() {
        return contentType;
    }

    public String extension() {
        return extension;
    }

    /** The format the content starts like, if it is one of ours. */
    public static Optional<ImageType> of(byte[] content) {
        if (isPng(content)) return Optional.of(PNG);
        if (isJpeg(content)) return Optional.of(JPEG);
        if (isGif(content)) return Optional.of(GIF);
        if (isWebp(content)) return Optional.of(WEBP);
        return Optional.empty();
    }

    /** The signature, then the first chunk, which must be the header (IHDR). */
    private static boolean isPng(byte[] b) {
        return b.length >= 16
                && Arrays.equals(b, 0, 8, PNG_SIGNATURE, 0, 8)
                && ascii(b, 12, 4).equals("IHDR");
    }

    /** Start of image, then the first marker of a segment. */
    private static boolean isJpeg(byte[] b) {
        return b.length >= 4 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xd8 && (b[2] & 0xff) == 0xff;
    }

    /** Either version's signature, followed by a logical screen descriptor. */
    private static boolean isGif(byte[] b) {
        if (b.length < 13) return false;
        String signature = ascii(b, 0, 6);
        return signature.equals("GIF87a") || signature.equals("GIF89a");
    }

    /** A RIFF container of form WEBP whose first chunk is lossy, lossless or extended image data. */
    private static boolean isWebp(byte[] b) {
        if (b.length < 20 || !ascii(b, 0, 4).equals("RIFF") || !ascii(b, 8, 4).equals("WEBP")) return false;
        String chunk = ascii(b, 12, 4);
        return chunk.equals("VP8 ") || chunk.equals("VP8L") || chunk.equals("VP8X");
    }

    private static String ascii(byte[] b, int offset, int length) {
        return new String(b, offset, length, StandardCharsets.ISO_8859_1);
    }
}
