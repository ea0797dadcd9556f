package sh.eraser.cri;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import sh.eraser.cri.api.Image;

/** Lets tests of other packages drive the FAKE CRI runtime. */
public final class FakeCriServerAccess implements AutoCloseable {

  private final FakeCriServer fake;

  private FakeCriServerAccess(FakeCriServer fake) {
    this.fake = fake;
  }

  public static FakeCriServerAccess start(Path socket) throws IOException {
    return new FakeCriServerAccess(new FakeCriServer(socket));
  }

  public synchronized void add(Image image) {
    synchronized (fake) {
      fake.images.add(image);
    }
  }

  public List<String> removed() {
    synchronized (fake) {
      return List.copyOf(fake.removed);
    }
  }

  @Override
  public void close() throws InterruptedException {
    fake.close();
  }
}
