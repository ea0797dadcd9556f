package sh.eraser.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives a test class one {@link LocalContainerd}: started before its first test, closed after its
 * last, and optionally reset before each test. Register it on a static field:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final LocalContainerdExtension containerd = new LocalContainerdExtension().resetBeforeEach();
 *
 * @Test
 * void removesTheImage() {
 *   containerd.get().importArchive(tar);
 * }
 * }</pre>
 *
 * <p>Test methods and constructors may also declare a {@link LocalContainerd} parameter. Nested
 * classes share their outer class's containerd.
 */
public final class LocalContainerdExtension
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, ParameterResolver {

  private LocalContainerd containerd;
  private String owner;
  private boolean resetBeforeEach;

  /** Makes every test start with only the sandbox image, and no pod or container. */
  public LocalContainerdExtension resetBeforeEach() {
    this.resetBeforeEach = true;
    return this;
  }

  /** The running containerd; only between the class's start and end. */
  public LocalContainerd get() {
    if (containerd == null) {
      throw new IllegalStateException("containerd runs only while the test class runs");
    }
    return containerd;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    if (containerd == null) {
      containerd = LocalContainerd.start();
      owner = context.getUniqueId();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (containerd != null && context.getUniqueId().equals(owner)) {
      try {
        containerd.close();
      } finally {
        containerd = null;
      }
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    if (resetBeforeEach) {
      get().reset();
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == LocalContainerd.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return get();
  }
}
