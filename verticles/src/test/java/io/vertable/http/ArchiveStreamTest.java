package io.vertable.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertable.node.Node;
import io.vertable.shared.wire.Addresses;
import io.vertable.testing.Rest;
import io.vertable.testing.Table;
import io.vertable.testing.TestNodes;
import io.vertable.testing.TestStorage;
import io.vertx.core.json.JsonObject;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The room export over a real socket read by a slow client: the server reads the room's images from the store only as
 * fast as the client takes the archive (it never gathers the whole ZIP in memory), and a failure after the first byte
 * cuts the connection, so the download never looks complete.
 */
class ArchiveStreamTest {

    /** Images of about 1.4 MB each: some 34 MB of archive, far more than the sockets' buffers hold. */
    static final int IMAGES = 24;

    static final int SIDE = 700;

    /**
     * At most this many images may be read from the store while the client reads nothing: the one being written, what
     * the server's socket buffer (4 MB at most) and Netty's queue hold, and one ready behind them. Buffering the whole
     * archive would read all {@link #IMAGES}.
     */
    static final int MOST_READ_WHILE_STALLED = 8;

    static Node node;
    static Rest rest;
    static final AtomicInteger imageReads = new AtomicInteger();

    @BeforeAll
    static void start() {
        JsonObject overrides = TestNodes.standalone(
                "archive-stream-node", "http:1,persistence:1", TestStorage.freshDatabase("archive_stream"));
        overrides.put("rateLimits", new JsonObject().put("restWritesPerMinute", 10_000));
        node = Node.start(TestNodes.config(overrides));
        rest = new Rest(node.httpPort());
        // What the exporter asks the store for: each image's bytes, one request each.
        node.vertx().eventBus().addOutboundInterceptor(delivery -> {
            if (Addresses.PERSIST_ASSETS.equals(delivery.message().address())
                    && delivery.message().body() instanceof JsonObject body
                    && "content".equals(body.getString("op"))) imageReads.incrementAndGet();
            delivery.next();
        });
    }

    @AfterAll
    static void stop() {
        node.shutdown();
    }

    /** A room of {@link #IMAGES} noisy pictures (PNG cannot shrink noise), their ids in upload order. */
    static List<String> roomOfImages(Table table) throws IOException {
        BufferedImage image = new BufferedImage(SIDE, SIDE, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(7);
        for (int y = 0; y < SIDE; y++) for (int x = 0; x < SIDE; x++) image.setRGB(x, y, random.nextInt(0xffffff));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < IMAGES; i++) {
            image.setRGB(0, 0, i); // each a distinct file
            ByteArrayOutputStream png = new ByteArrayOutputStream();
            ImageIO.write(image, "png", png);
            Rest.Reply reply = RoomArchiveTest.AssetsApiTestUpload.upload(
                    node.httpPort(), table.roomId(), table.gmToken(), png.toByteArray());
            assertThat(reply.status()).as(reply.body().encode()).isEqualTo(201);
            ids.add(reply.body().getString("id"));
        }
        return ids;
    }

    /** A GET of the export on a socket whose receive window is small, answered up to the end of its headers. */
    static Socket askForExport(Table table, StringBuilder headers) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(16 * 1024); // before connecting: the window the server may fill stays small
        socket.connect(new InetSocketAddress("127.0.0.1", node.httpPort()), 5_000);
        socket.setSoTimeout(60_000);
        OutputStream out = socket.getOutputStream();
        out.write(("GET /api/rooms/" + table.roomId() + "/export HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        + "Authorization: Bearer " + table.gmToken() + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        while (headers.indexOf("\r\n\r\n") < 0) {
            int b = in.read();
            if (b < 0) throw new IOException("closed before the headers ended: " + headers);
            headers.append((char) b);
        }
        return socket;
    }

    /** The body of a chunked response as far as it came, and whether its closing zero-length chunk arrived. */
    record Body(byte[] bytes, boolean complete, String cut) {}

    static Body readChunked(InputStream in) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try {
            while (true) {
                String sizeLine = line(in);
                if (sizeLine == null) return new Body(body.toByteArray(), false, "end of stream");
                int size = Integer.parseInt(sizeLine.split(";")[0].trim(), 16);
                if (size == 0) return new Body(body.toByteArray(), true, null);
                byte[] chunk = in.readNBytes(size);
                body.write(chunk);
                if (chunk.length < size) return new Body(body.toByteArray(), false, "end of stream inside a chunk");
                line(in); // the CRLF after the chunk
            }
        } catch (IOException e) {
            return new Body(body.toByteArray(), false, e.toString());
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder text = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') return text.toString().replace("\r", "");
            text.append((char) b);
        }
        return text.isEmpty() ? null : text.toString();
    }

    static List<String> entryNames(byte[] zip) throws IOException {
        List<String> names = new ArrayList<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                in.readAllBytes();
                names.add(entry.getName());
            }
        }
        return names;
    }

    @Test
    void aSlowReaderIsServedAsItReadsAndTheServerNeverGathersTheWholeArchive() throws Exception {
        Table table = Table.create(rest, "Slow reader");
        roomOfImages(table);
        imageReads.set(0);
        StringBuilder headers = new StringBuilder();
        try (Socket socket = askForExport(table, headers)) {
            assertThat(headers).startsWith("HTTP/1.1 200").containsIgnoringCase("x-archive-images: " + IMAGES);
            await().atMost(Duration.ofSeconds(30)).until(() -> imageReads.get() >= 1);
            // The client reads nothing for a while: the server stops asking for images once the sockets are full.
            await().during(Duration.ofSeconds(3))
                    .atMost(Duration.ofSeconds(20))
                    .until(() -> imageReads.get() <= MOST_READ_WHILE_STALLED);
            int readWhileStalled = imageReads.get();

            Body body = readChunked(socket.getInputStream());
            assertThat(body.complete()).as(body.cut()).isTrue();
            List<String> names = entryNames(body.bytes());
            assertThat(names.stream().filter(n -> n.startsWith("images/"))).hasSize(IMAGES);
            assertThat(names).last().isEqualTo("manifest.json");
            assertThat(imageReads.get()).isEqualTo(IMAGES);
            System.out.printf(
                    "slow export: %d bytes in all; %d of %d images read from the store while the client read nothing%n",
                    body.bytes().length, readWhileStalled, IMAGES);
        }
    }

    @Test
    void aFailureAfterTheFirstByteCutsTheDownloadInsteadOfEndingIt() throws Exception {
        Table table = Table.create(rest, "Cut short");
        List<String> images = roomOfImages(table);
        imageReads.set(0);
        StringBuilder headers = new StringBuilder();
        try (Socket socket = askForExport(table, headers)) {
            assertThat(headers).startsWith("HTTP/1.1 200");
            await().atMost(Duration.ofSeconds(30)).until(() -> imageReads.get() >= 1);
            // While the export waits for the reader, the GM deletes the last image: it can no longer be written.
            assertThat(rest.delete(
                                    "/api/rooms/" + table.roomId() + "/assets/" + images.get(IMAGES - 1),
                                    table.gmToken())
                            .status())
                    .isEqualTo(204);

            Body body = readChunked(socket.getInputStream());
            assertThat(body.complete())
                    .as("the download must not end as if whole")
                    .isFalse();
            assertThat(body.bytes().length).isPositive();
            List<String> names = new ArrayList<>();
            try {
                names.addAll(entryNames(body.bytes()));
            } catch (IOException truncated) {
                // A ZIP cut in the middle of an entry: as broken as it should look.
            }
            assertThat(names).doesNotContain("manifest.json");
        }
    }
}
