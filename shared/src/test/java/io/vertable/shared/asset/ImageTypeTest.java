package io.vertable.shared.asset;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ImageTypeTest {

    private static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) out[i] = (byte) values[i];
        return out;
    }

    private static byte[] ascii(String text, int length) {
        return Arrays.copyOf(text.getBytes(StandardCharsets.ISO_8859_1), length);
    }

    private static final byte[] PNG_START =
            bytes(0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 'I', 'H', 'D', 'R');

    @Test
    void eachFormatIsKnownByItsFirstBytes() {
        assertThat(ImageType.of(PNG_START)).contains(ImageType.PNG);
        assertThat(ImageType.of(bytes(0xff, 0xd8, 0xff, 0xe0, 0, 0x10))).contains(ImageType.JPEG);
        assertThat(ImageType.of(ascii("GIF89a", 13))).contains(ImageType.GIF);
        assertThat(ImageType.of(ascii("GIF87a", 13))).contains(ImageType.GIF);
        byte[] webp = ascii("RIFF\0\0\0\0WEBPVP8L", 20);
        assertThat(ImageType.of(webp)).contains(ImageType.WEBP);
        assertThat(ImageType.WEBP.contentType()).isEqualTo("image/webp");
    }

    @Test
    void lookalikesAndShortFilesAreNotImages() {
        assertThat(ImageType.of(new byte[0])).isEmpty();
        assertThat(ImageType.of(Arrays.copyOf(PNG_START, 8)))
                .as("a PNG signature with no header")
                .isEmpty();
        byte[] notIhdr = PNG_START.clone();
        notIhdr[12] = 'X';
        assertThat(ImageType.of(notIhdr)).isEmpty();
        assertThat(ImageType.of(ascii("GIF89a", 6))).isEmpty();
        assertThat(ImageType.of(ascii("GIF90a", 13))).isEmpty();
        assertThat(ImageType.of(ascii("RIFF\0\0\0\0WAVEfmt ", 20)))
                .as("a RIFF that is a sound")
                .isEmpty();
        assertThat(ImageType.of(ascii("RIFF\0\0\0\0WEBPJUNK", 20))).isEmpty();
        assertThat(ImageType.of(ascii("<svg xmlns='http://www.w3.org/2000/svg'/>", 40)))
                .isEmpty();
        assertThat(ImageType.of(ascii("<html><body>", 20))).isEmpty();
        assertThat(ImageType.of(bytes(0xff, 0xd8))).isEmpty();
    }
}
