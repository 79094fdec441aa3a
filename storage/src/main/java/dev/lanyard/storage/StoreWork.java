package dev.lanyard.storage;

/** Work done inside one storage transaction. */
@FunctionalInterface
public interface StoreWork<T> {
  T run(StoreSession session) throws Exception;
}
