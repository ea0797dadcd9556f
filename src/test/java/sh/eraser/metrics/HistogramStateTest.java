package sh.eraser.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HistogramStateTest {

  @Test
  void aValueOnABoundCountsInTheBucketThatBoundCloses() {
    HistogramState histogram = new HistogramState(ManagerOtlp.DURATION_BOUNDS);

    for (double seconds : new double[] {0, 10, 10.5, 60, 60.5, 3600}) {
      histogram.record(seconds);
    }

    HistogramState.Snapshot snapshot = histogram.snapshot();
    // Buckets: (-inf,0] (0,10] (10,20] (20,30] (30,40] (40,50] (50,60] (60,+inf)
    assertThat(snapshot.bucketCounts()).containsExactly(1, 1, 1, 0, 0, 0, 1, 2);
    assertThat(snapshot.count()).isEqualTo(6);
    assertThat(snapshot.sum()).isEqualTo(3741.0);
    assertThat(snapshot.min()).isZero();
    assertThat(snapshot.max()).isEqualTo(3600);
  }

  @Test
  void aSnapshotDoesNotChangeWithLaterValues() {
    HistogramState histogram = new HistogramState(ManagerOtlp.DURATION_BOUNDS);
    histogram.record(5);
    HistogramState.Snapshot before = histogram.snapshot();

    histogram.record(5);

    assertThat(before.bucketCounts()[1]).isEqualTo(1);
    assertThat(before.count()).isEqualTo(1);
  }
}
