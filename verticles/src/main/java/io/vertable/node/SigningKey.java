package io.vertable.node;

import io.vertable.kit.NodeConfig;
import io.vertable.kit.StartupException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's JWT signing key when none is configured: random, made at first start and kept in the data folder (owner
 * read/write only), so sessions survive restarts and no key is known to anyone but the node. Nodes sharing a data
 * folder share it; a cluster needs {@code jwt.secret} (the configuration refuses a cluster without it).
 */
public final class SigningKey {

    private static final Logger LOG = LoggerFactory.getLogger(SigningKey.class);

    /** File name inside the data folder. */
    public static final String FILE = "jwt-signing.key";

    private static final int KEY_BYTES = 48;
    private static final int MIN_KEY_CHARS = 32;
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private SigningKey() {}

    /** The configuration with {@code jwt.secret} set: the configured one, else the data folder's (made if missing). */
    public static NodeConfig resolve(NodeConfig config) {
        if (!config.section("jwt").getString("secret").isEmpty()) return config;
        return config.with("jwt", "secret", inDataFolder(config.dataDir(), config.nodeId()));
    }

    static String inDataFolder(Path dataDir, String nodeId) {
        Path file = dataDir.resolve(FILE);
        try {
            if (!Files.exists(file)) create(dataDir, file, nodeId);
            return read(file);
        } catch (IOException e) {
            throw new StartupException("jwt signing key: cannot keep it in " + file + " (" + e.getMessage()
                    + "); set VTT_JWT_SECRET or make the data folder writable");
        }
    }

    /** Writes a new key under a temporary name and links it into place, so a node never reads a half-written key. */
    private static void create(Path dataDir, Path file, String nodeId) throws IOException {
        Files.createDirectories(dataDir);
        Path partial = Files.createTempFile(dataDir, FILE, ".new", ownerOnly());
        try {
            Files.writeString(partial, newKey(), StandardCharsets.US_ASCII);
            publish(partial, file);
            LOG.info("jwt signing key generated node={} file={}", nodeId, file);
        } catch (FileAlreadyExistsException raced) {
            // Another node sharing this folder made it first: use theirs.
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    /** A hard link never replaces an existing key; where links are not supported, a move that refuses to either. */
    private static void publish(Path partial, Path file) throws IOException {
        try {
            Files.createLink(file, partial);
        } catch (UnsupportedOperationException | java.nio.file.FileSystemException e) {
            if (e instanceof FileAlreadyExistsException exists) throw exists;
            Files.move(partial, file);
        }
    }

    private static String read(Path file) throws IOException {
        if (posix() && !Files.getPosixFilePermissions(file).equals(OWNER_ONLY)) {
            Files.setPosixFilePermissions(file, OWNER_ONLY);
            LOG.warn("jwt signing key was readable by others; now owner-only file={}", file);
        }
        String key = Files.readString(file, StandardCharsets.US_ASCII).strip();
        if (key.length() < MIN_KEY_CHARS) throw new IOException("the key file holds no usable key");
        return key;
    }

    private static String newKey() {
        byte[] bytes = new byte[KEY_BYTES];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static java.nio.file.attribute.FileAttribute<?>[] ownerOnly() {
        return posix()
                ? new java.nio.file.attribute.FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
                : new java.nio.file.attribute.FileAttribute<?>[0];
    }

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }
}
