package local.mongo;

import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.bson.Document;
import io.netty.channel.Channel;
import java.util.Set;
import org.h2.mvstore.MVStore;

/**
 * The H2 backend, committing the MVStore before a write command's reply leaves: a client that was told a write is
 * stored finds it after a kill -9 (the store's own background commit loses the last moments). Commits are grouped:
 * a write takes a ticket once its change is in the store and waits; one committer thread gathers the writes of a
 * short window (`groupMs`) into one commit, so a burst of writes costs a few commits, not one each, and the file
 * grows by a chunk per window instead of per write. The commit hands the chunk to the operating system without
 * fsync: it survives a crash of the process, not of the machine.
 */
final class DurableH2Backend extends H2Backend {
  private static final Set<String> WRITES = Set.of(
      "insert", "update", "delete", "findandmodify", "createindexes", "dropindexes", "drop", "dropdatabase",
      "renamecollection", "create");

  private final MVStore store;
  private final long groupMs;
  private final Object lock = new Object();
  private long applied;
  private long committedUpTo;

  DurableH2Backend(MVStore store, long groupMs) {
    super(store);
    this.store = store;
    this.groupMs = groupMs;
    Thread committer = new Thread(this::commitLoop, "group-commit");
    committer.setDaemon(true);
    committer.start();
  }

  @Override
  public Document handleCommand(Channel channel, String database, String command, Document query) {
    Document reply = super.handleCommand(channel, database, command, query);
    if (WRITES.contains(command.toLowerCase())) awaitCommit();
    return reply;
  }

  private void awaitCommit() {
    synchronized (lock) {
      long ticket = ++applied;
      lock.notifyAll();
      while (committedUpTo < ticket) {
        try {
          lock.wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  private void commitLoop() {
    try {
      for (;;) {
        synchronized (lock) {
          while (applied == committedUpTo) lock.wait();
        }
        if (groupMs > 0) Thread.sleep(groupMs);
        long upTo;
        synchronized (lock) {
          upTo = applied;
        }
        // Every write with a ticket up to `upTo` changed the store before taking it, so this commit holds them all.
        store.commit();
        synchronized (lock) {
          committedUpTo = upTo;
          lock.notifyAll();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
