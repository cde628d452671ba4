package io.vertable.node.storage;

import io.vertable.kit.NodeConfig;
import io.vertable.kit.PgUrl;
import io.vertable.kit.StartupException;
import io.vertable.map.DiceSeeds;
import io.vertable.shared.VerticleName;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The dice key kept with the data: without a configured {@code dice.secret}, the rooms' seeds come from a key in the
 * database's {@code server_secrets}, so backups carry it and a restore into a fresh data folder (whose JWT key is new)
 * keeps the seeds of open periods. The first node to start keeps the key its configuration gave until now (derived
 * from the JWT key), so an existing installation's seeds do not change.
 */
public final class KeptDiceKey {

    static final String NAME = "dice.key";

    private KeptDiceKey() {}

    /** The configuration with {@code dice.key} set from the database, when this node runs persistence. */
    public static NodeConfig resolve(NodeConfig config) {
        if (!config.section("dice").getString("secret").isEmpty()) return config;
        if (!config.plan().runs(VerticleName.PERSISTENCE)) return config;
        PgUrl url = new PgUrl(config.section("postgres").getString("url"));
        try (Connection db = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password())) {
            keepIfNone(db, DiceSeeds.keyToKeep(config.json()));
            return config.with("dice", "key", kept(db));
        } catch (SQLException e) {
            throw new StartupException("dice key: cannot read it from " + url + " (" + e.getMessage() + ")", e);
        }
    }

    private static void keepIfNone(Connection db, String key) throws SQLException {
        try (PreparedStatement s = db.prepareStatement(
                "INSERT INTO server_secrets (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING")) {
            s.setString(1, NAME);
            s.setString(2, key);
            s.executeUpdate();
        }
    }

    private static String kept(Connection db) throws SQLException {
        try (PreparedStatement s = db.prepareStatement("SELECT value FROM server_secrets WHERE name = ?")) {
            s.setString(1, NAME);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }
}
