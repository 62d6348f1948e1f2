package local.mongo;

import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.bson.Document;
import io.netty.channel.Channel;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.h2.mvstore.MVStore;

/**
 * The H2 backend, committing the MVStore before a write command's reply leaves: a client that was told a write is
 * stored finds it after a kill -9 (the store's own background commit loses the last moments). Commits are grouped:
 * a write takes a ticket once its change is in the store; one commit covers every ticket taken before it began, so
 * concurrent writers share commits instead of queueing one each. The commit hands the chunk to the operating system
 * without fsync: it survives a crash of the process, not of the machine.
 */
final class DurableH2Backend extends H2Backend {
  private static final Set<String> WRITES = Set.of(
      "insert", "update", "delete", "findandmodify", "createindexes", "dropindexes", "drop", "dropdatabase",
      "renamecollection", "create");

  private final MVStore store;
  private final AtomicLong applied = new AtomicLong();
  private final Object committing = new Object();
  private long committedUpTo;

  DurableH2Backend(MVStore store) {
    super(store);
    this.store = store;
  }

  @Override
  public Document handleCommand(Channel channel, String database, String command, Document query) {
    Document reply = super.handleCommand(channel, database, command, query);
    if (WRITES.contains(command.toLowerCase())) commitUpTo(applied.incrementAndGet());
    return reply;
  }

  private void commitUpTo(long ticket) {
    synchronized (committing) {
      if (committedUpTo >= ticket) return;
      long upTo = applied.get();
      store.commit();
      committedUpTo = upTo;
    }
  }
}
