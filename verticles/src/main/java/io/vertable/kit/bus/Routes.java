package io.vertable.kit.bus;

import io.vertx.core.Completable;
import io.vertx.core.spi.cluster.RegistrationInfo;
import io.vertx.core.spi.cluster.RegistrationListener;
import io.vertx.core.spi.cluster.RegistrationUpdateEvent;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Which nodes this node's event bus routes each address to, as the cluster manager last told it, and which of them
 * are no longer members. After a member's JVM dies the cluster drops its registrations some time after the member
 * itself (seconds on a busy host); until then a send can be routed to it and is lost. Knowing the view lets
 * {@link Departures} keep re-sending while a departed node can still be chosen, and send again at once what waits on
 * an address when the view drops it.
 */
public final class Routes {

    /** A change of one address's view. */
    interface Change {
        void changed(String address, Set<String> before, Set<String> now);
    }

    private final Map<String, Set<String>> nodesByAddress = new ConcurrentHashMap<>();
    private volatile Supplier<Collection<String>> members = Set::of;
    private volatile Change onChange = (address, before, now) -> {};

    /** Where the cluster's members (by event bus node id) are read; until it is set, nobody counts as departed. */
    public void membersFrom(Supplier<Collection<String>> members) {
        this.members = members;
    }

    /** Wraps the event bus's listener: the bus sees every update first, so a re-send goes by the new view. */
    public RegistrationListener watching(RegistrationListener bus) {
        return new RegistrationListener() {
            @Override
            public void registrationsUpdated(RegistrationUpdateEvent event) {
                bus.registrationsUpdated(event);
                updated(event.address(), event.registrations());
            }

            @Override
            public void registrationsLost() {
                bus.registrationsLost();
                nodesByAddress.clear();
            }

            @Override
            public boolean wantsUpdatesFor(String address) {
                return bus.wantsUpdatesFor(address);
            }
        };
    }

    /** Wraps the answer to the event bus's first look at an address's registrations, which it then keeps updated. */
    public Completable<List<RegistrationInfo>> fetching(String address, Completable<List<RegistrationInfo>> bus) {
        return (registrations, failure) -> {
            if (failure == null) nodesByAddress.put(address, nodesOf(registrations));
            bus.complete(registrations, failure);
        };
    }

    /** The nodes {@code address} is routed to that are no longer members of the cluster. */
    Set<String> departedIn(String address) {
        Set<String> nodes = nodesByAddress.get(address);
        if (nodes == null) return Set.of();
        return departed(nodes);
    }

    Set<String> departed(Set<String> nodes) {
        if (nodes.isEmpty()) return Set.of();
        Collection<String> now;
        try {
            now = members.get();
        } catch (RuntimeException notJoined) {
            return Set.of(); // before the node joined or after it left: nothing to tell
        }
        if (now == null || now.isEmpty()) return Set.of();
        return nodes.stream().filter(node -> !now.contains(node)).collect(Collectors.toUnmodifiableSet());
    }

    void onChange(Change listener) {
        onChange = listener;
    }

    void updated(String address, List<RegistrationInfo> registrations) {
        Set<String> nodes = nodesOf(registrations);
        // An address nobody serves any more is forgotten: addresses come and go with rooms and sessions.
        Set<String> before = nodes.isEmpty() ? nodesByAddress.remove(address) : nodesByAddress.put(address, nodes);
        onChange.changed(address, before == null ? Set.of() : before, nodes);
    }

    private static Set<String> nodesOf(List<RegistrationInfo> registrations) {
        return registrations == null
                ? Set.of()
                : registrations.stream().map(RegistrationInfo::nodeId).collect(Collectors.toUnmodifiableSet());
    }
}
