package io.vertable.kit.stores;

import io.vertx.core.eventbus.EventBus;

/** A client for each persistence store, on one event bus. */
public record Stores(
        AccountsClient accounts,
        RoomsClient rooms,
        EventsClient events,
        ChatStoreClient chat,
        AssetsClient assets,
        CharactersClient characters) {

    public static Stores on(EventBus bus) {
        return new Stores(
                new AccountsClient(bus),
                new RoomsClient(bus),
                new EventsClient(bus),
                new ChatStoreClient(bus),
                new AssetsClient(bus),
                new CharactersClient(bus));
    }
}
