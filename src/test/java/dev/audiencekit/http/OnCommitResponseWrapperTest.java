package dev.audiencekit.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class OnCommitResponseWrapperTest {

  /** A fake container response, the wrapper around it, and what the hook saw when it ran. */
  private static final class Harness {
    final FakeResponse fake = new FakeResponse();
    int hookCalls;
    boolean committedAtHook;
    int bodyBytesAtHook = -1;
    Runnable extra = () -> { };
    final OnCommitResponseWrapper response = new OnCommitResponseWrapper(fake, () -> {
      hookCalls++;
      fake.calls.add("hook");
      committedAtHook = fake.isCommitted();
      bodyBytesAtHook = fake.body.size();
      extra.run();
    });
  }

  private final Harness h = new Harness();
  private final FakeResponse fake = h.fake;
  private final OnCommitResponseWrapper response = h.response;

  private void assertHookRanOnceBeforeCommit() {
    assertThat(h.hookCalls).isEqualTo(1);
    assertThat(h.committedAtHook).isFalse();
    assertThat(response.isHookCalled()).isTrue();
  }

  private void assertHookNotCalled() {
    assertThat(h.hookCalls).isZero();
    assertThat(response.isHookCalled()).isFalse();
  }

  private static byte[] bytes(int n) {
    return new byte[n];
  }

  // ---- the plain triggers --------------------------------------------------------------------

  @Test
  void constructingDoesNotCallHook() {
    assertHookNotCalled();
  }

  @Test
  void nullHookIsRejected() {
    assertThatThrownBy(() -> new OnCommitResponseWrapper(new FakeResponse(), (Runnable) null))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void flushBufferCallsHookBeforeDelegating() throws IOException {
    response.flushBuffer();
    assertHookRanOnceBeforeCommit();
    assertThat(fake.calls).containsExactly("hook", "flushBuffer");
  }

  @Test
  void sendErrorCallsHookBeforeDelegating() throws IOException {
    response.sendError(404);
    assertHookRanOnceBeforeCommit();
    assertThat(fake.calls).containsExactly("hook", "sendError 404");
  }

  @Test
  void sendErrorWithMessageCallsHookBeforeDelegating() throws IOException {
    response.sendError(500, "boom");
    assertHookRanOnceBeforeCommit();
    assertThat(fake.calls).containsExactly("hook", "sendError 500 boom");
  }

  @Test
  void sendRedirectCallsHookBeforeDelegating() throws IOException {
    response.sendRedirect("/next");
    assertHookRanOnceBeforeCommit();
    assertThat(fake.calls).containsExactly("hook", "sendRedirect /next");
  }

  @Test
  void servlet61SendRedirectCallsHookBeforeDelegating() throws IOException {
    response.sendRedirect("/next", 303, false);
    assertHookRanOnceBeforeCommit();
    assertThat(fake.calls).containsExactly("hook", "sendRedirect /next 303 false");
  }

  @Test
  void servlet61SendRedirectPassesOnTheIOExceptionOfTheResponse() {
    assertThatThrownBy(() -> response.sendRedirect("/io-error", 302, true))
        .isInstanceOf(IOException.class).hasMessage("broken pipe");
    assertThat(h.hookCalls).isEqualTo(1);
  }

  @Test
  void servlet61SendRedirectOnAnOlderResponseIsUnsupportedAndLeavesHookUnused() {
    OnCommitResponseWrapper overOldApi =
        new OnCommitResponseWrapper(new HttpServletResponseWrapper(fake), () -> h.hookCalls++);
    assertThatThrownBy(() -> overOldApi.sendRedirect("/next", 302, true))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThat(overOldApi.isHookCalled()).isFalse();
  }

  @Test
  void writerFlushCallsHookBeforeDelegating() throws IOException {
    response.getWriter().flush();
    assertHookRanOnceBeforeCommit();
    assertThat(fake.calls).containsExactly("hook", "writer flush");
  }

  @Test
  void writerCloseCallsHookBeforeDelegating() throws IOException {
    response.getWriter().close();
    assertHookRanOnceBeforeCommit();
    assertThat(fake.calls).containsExactly("hook", "writer close");
  }

  @Test
  void writerCheckErrorFlushesSoItCallsHook() throws IOException {
    assertThat(response.getWriter().checkError()).isFalse();
    assertHookRanOnceBeforeCommit();
    assertThat(fake.calls.get(0)).isEqualTo("hook");
  }

  @Test
  void streamFlushCallsHookBeforeDelegating() throws IOException {
    response.getOutputStream().flush();
    assertHookRanOnceBeforeCommit();
    assertThat(fake.calls).containsExactly("hook", "stream flush");
  }

  @Test
  void streamCloseCallsHookBeforeDelegating() throws IOException {
    response.getOutputStream().close();
    assertHookRanOnceBeforeCommit();
    assertThat(fake.calls).containsExactly("hook", "stream close");
  }

  @Test
  void onChainEndCallsHookWhenNothingElseDid() {
    response.onChainEnd();
    assertHookRanOnceBeforeCommit();
  }

  @Test
  void onChainEndAfterAnotherTriggerDoesNotCallHookAgain() throws IOException {
    response.flushBuffer();
    response.onChainEnd();
    assertThat(h.hookCalls).isEqualTo(1);
  }

  @Test
  void onChainEndTwiceCallsHookOnce() {
    response.onChainEnd();
    response.onChainEnd();
    assertThat(h.hookCalls).isEqualTo(1);
  }

  @Test
  void isHookCalledTurnsTrueWithTheHook() throws IOException {
    assertThat(response.isHookCalled()).isFalse();
    response.flushBuffer();
    assertThat(response.isHookCalled()).isTrue();
  }

  // ---- only once -----------------------------------------------------------------------------

  @Test
  void flushBufferTwiceCallsHookOnceAndDelegatesTwice() throws IOException {
    response.flushBuffer();
    response.flushBuffer();
    assertThat(h.hookCalls).isEqualTo(1);
    assertThat(fake.calls).containsExactly("hook", "flushBuffer", "flushBuffer");
  }

  @Test
  void everyTriggerAfterTheFirstOnlyDelegates() throws IOException {
    response.getWriter().flush();
    response.getWriter().close();
    response.getOutputStream().flush();
    response.flushBuffer();
    response.sendError(500);
    response.onChainEnd();
    assertThat(h.hookCalls).isEqualTo(1);
    assertThat(fake.calls).containsExactly("hook", "writer flush", "writer close",
        "stream flush", "flushBuffer", "sendError 500");
  }

  @Test
  void writesAfterTheHookDoNotCallItAgain() throws IOException {
    response.setContentLength(2);
    ServletOutputStream out = response.getOutputStream();
    out.write(bytes(2));
    out.write(bytes(2000));
    assertThat(h.hookCalls).isEqualTo(1);
    assertThat(fake.body.size()).isEqualTo(2002);
  }

  // ---- content length ------------------------------------------------------------------------

  @Test
  void bodyShorterThanContentLengthDoesNotCallHook() throws IOException {
    response.setContentLength(10);
    response.getOutputStream().write(bytes(9));
    assertHookNotCalled();
  }

  @Test
  void bodyReachingSetContentLengthCallsHookBeforeTheLastBytesPass() throws IOException {
    response.setContentLength(10);
    ServletOutputStream out = response.getOutputStream();
    out.write(bytes(6));
    assertHookNotCalled();
    out.write(bytes(4));
    assertHookRanOnceBeforeCommit();
    assertThat(h.bodyBytesAtHook).isEqualTo(6);
  }

  @Test
  void bodyReachingSetContentLengthLongCallsHook() throws IOException {
    response.setContentLengthLong(10L);
    response.getOutputStream().write(bytes(10));
    assertHookRanOnceBeforeCommit();
    assertThat(h.bodyBytesAtHook).isZero();
  }

  @Test
  void bodyReachingContentLengthFromSetHeaderCallsHook() throws IOException {
    response.setHeader("Content-Length", "10");
    response.getOutputStream().write(bytes(10));
    assertHookRanOnceBeforeCommit();
  }

  @Test
  void bodyReachingContentLengthFromAddHeaderCallsHook() throws IOException {
    response.addHeader("Content-Length", "10");
    response.getOutputStream().write(bytes(10));
    assertHookRanOnceBeforeCommit();
  }

  @Test
  void bodyReachingContentLengthFromSetIntHeaderCallsHook() throws IOException {
    response.setIntHeader("Content-Length", 10);
    response.getOutputStream().write(bytes(10));
    assertHookRanOnceBeforeCommit();
  }

  @Test
  void bodyReachingContentLengthFromAddIntHeaderCallsHook() throws IOException {
    response.addIntHeader("Content-Length", 10);
    response.getOutputStream().write(bytes(10));
    assertHookRanOnceBeforeCommit();
  }

  @Test
  void contentLengthHeaderNameIsCaseInsensitive() throws IOException {
    response.setHeader("content-length", "10");
    response.getOutputStream().write(bytes(10));
    assertHookRanOnceBeforeCommit();
  }

  @Test
  void contentLengthHeaderWithSpacesIsRead() throws IOException {
    response.setHeader("Content-Length", " 10 ");
    response.getOutputStream().write(bytes(10));
    assertThat(h.hookCalls).isEqualTo(1);
  }

  @Test
  void unreadableContentLengthHeaderIsIgnored() throws IOException {
    response.setHeader("Content-Length", "ten");
    response.getOutputStream().write(bytes(10));
    assertHookNotCalled();
  }

  @Test
  void otherNumericHeadersAreNotAContentLength() throws IOException {
    response.setIntHeader("X-Content-Length", 3);
    response.setHeader("Content-Length-Hint", "3");
    response.getOutputStream().write(bytes(3));
    assertHookNotCalled();
  }

  @Test
  void laterContentLengthReplacesEarlierOne() throws IOException {
    response.setContentLength(5);
    response.setContentLength(20);
    response.getOutputStream().write(bytes(5));
    assertHookNotCalled();
  }

  @Test
  void removingContentLengthHeaderForgetsIt() throws IOException {
    response.setContentLength(5);
    response.setHeader("Content-Length", null);
    response.getOutputStream().write(bytes(5));
    assertHookNotCalled();
  }

  @Test
  void declaringContentLengthTheBodyAlreadyReachedCallsHookBeforeDelegating() throws IOException {
    response.getOutputStream().write(bytes(5));
    response.setContentLength(5);
    assertHookRanOnceBeforeCommit();
    assertThat(fake.getHeader("Content-Length")).isEqualTo("5");
    assertThat(fake.calls).containsExactly("write 5", "hook");
  }

  @Test
  void contentLengthZeroDoesNotCallHook() throws IOException {
    response.setContentLength(0);
    response.getOutputStream().write(bytes(0));
    assertHookNotCalled();
  }

  @Test
  void writerReachingContentLengthCallsHookBeforeTheTextPasses() throws IOException {
    response.setContentLength(5);
    PrintWriter writer = response.getWriter();
    writer.write("abc");
    assertHookNotCalled();
    writer.write("de");
    assertHookRanOnceBeforeCommit();
    assertThat(h.bodyBytesAtHook).isEqualTo(3);
  }

  @Test
  void resetForgetsTheContentLength() throws IOException {
    response.setContentLength(5);
    response.reset();
    response.getOutputStream().write(bytes(5));
    assertHookNotCalled();
  }

  @Test
  void resetBufferKeepsTheContentLengthButRestartsTheCount() throws IOException {
    response.setContentLength(10);
    ServletOutputStream out = response.getOutputStream();
    out.write(bytes(6));
    response.resetBuffer();
    out.write(bytes(6));
    assertHookNotCalled();
    out.write(bytes(4));
    assertHookRanOnceBeforeCommit();
  }

  // ---- buffer size ---------------------------------------------------------------------------

  @Test
  void bodyBelowBufferSizeDoesNotCallHook() throws IOException {
    response.setBufferSize(100);
    ServletOutputStream out = response.getOutputStream();
    for (int i = 0; i < 4; i++) {
      out.write(bytes(20));
    }
    out.write(bytes(19));
    assertHookNotCalled();
  }

  @Test
  void bodyFillingTheBufferCallsHookBeforeTheOverflowingBytesPass() throws IOException {
    response.setBufferSize(100);
    ServletOutputStream out = response.getOutputStream();
    for (int i = 0; i < 4; i++) {
      out.write(bytes(20));
    }
    out.write(bytes(20));
    assertHookRanOnceBeforeCommit();
    assertThat(h.bodyBytesAtHook).isEqualTo(80);
  }

  @Test
  void bufferSizeIsReadFromTheResponseEachTime() throws IOException {
    fake.setBufferSize(100);
    ServletOutputStream out = response.getOutputStream();
    out.write(bytes(20));
    response.setBufferSize(40);
    out.write(bytes(10));
    assertHookNotCalled();
    out.write(bytes(10));
    assertHookRanOnceBeforeCommit();
  }

  @Test
  void getBufferSizeIsTheResponses() {
    fake.setBufferSize(333);
    assertThat(response.getBufferSize()).isEqualTo(333);
  }

  @Test
  void singleWriteOverAQuarterOfTheBufferCallsHook() throws IOException {
    response.setBufferSize(100);
    response.getOutputStream().write(bytes(26));
    assertHookRanOnceBeforeCommit();
    assertThat(h.bodyBytesAtHook).isZero();
  }

  @Test
  void singleWriteOfAQuarterOfTheBufferDoesNotCallHook() throws IOException {
    response.setBufferSize(100);
    response.getOutputStream().write(bytes(25));
    assertHookNotCalled();
  }

  @Test
  void singleWriteLargerThanTheBufferCallsHookBeforeAnyBytePasses() throws IOException {
    response.setBufferSize(100);
    response.getOutputStream().write(bytes(500));
    assertHookRanOnceBeforeCommit();
    assertThat(h.bodyBytesAtHook).isZero();
    assertThat(fake.body.size()).isEqualTo(500);
  }

  @Test
  void unbufferedResponseCallsHookOnTheFirstByte() throws IOException {
    response.setBufferSize(0);
    response.getOutputStream().write(1);
    assertHookRanOnceBeforeCommit();
  }

  @Test
  void emptyWritesDoNotCallHook() throws IOException {
    response.setBufferSize(0);
    response.getOutputStream().write(bytes(0));
    response.getOutputStream().print("");
    assertHookNotCalled();
  }

  @Test
  void emptyWriterWritesDoNotCallHook() throws IOException {
    response.setBufferSize(0);
    response.getWriter().write("");
    response.getWriter().print("");
    assertHookNotCalled();
  }

  @Test
  void writerFillingTheBufferCallsHook() throws IOException {
    response.setBufferSize(40);
    PrintWriter writer = response.getWriter();
    for (int i = 0; i < 3; i++) {
      writer.write("0123456789");
    }
    writer.write("012345678");
    assertHookNotCalled();
    writer.write("9");
    assertHookRanOnceBeforeCommit();
    assertThat(h.bodyBytesAtHook).isEqualTo(39);
  }

  @Test
  void resetBufferRestartsTheBufferCount() throws IOException {
    response.setBufferSize(100);
    ServletOutputStream out = response.getOutputStream();
    for (int i = 0; i < 4; i++) {
      out.write(bytes(20));
    }
    response.resetBuffer();
    for (int i = 0; i < 4; i++) {
      out.write(bytes(20));
    }
    assertHookNotCalled();
  }

  @Test
  void resetRestartsTheBufferCount() throws IOException {
    response.setBufferSize(100);
    ServletOutputStream out = response.getOutputStream();
    for (int i = 0; i < 4; i++) {
      out.write(bytes(20));
    }
    response.reset();
    for (int i = 0; i < 4; i++) {
      out.write(bytes(20));
    }
    assertHookNotCalled();
  }

  @Test
  void resetDoesNotRearmTheHook() throws IOException {
    response.onChainEnd();
    response.reset();
    response.flushBuffer();
    assertThat(h.hookCalls).isEqualTo(1);
  }

  // ---- characters counted as bytes -----------------------------------------------------------

  @Test
  void writerCountsTwoByteCharactersAsTwoBytes() throws IOException {
    response.setContentLength(4);
    response.getWriter().write("éé");
    assertHookRanOnceBeforeCommit();
  }

  @Test
  void writerCountsThreeByteCharactersAsThreeBytes() throws IOException {
    response.setContentLength(7);
    response.getWriter().write("€€");
    assertHookNotCalled();
    response.getWriter().write('a');
    assertHookRanOnceBeforeCommit();
  }

  @Test
  void writerCountsSurrogatePairsAtLeastAsTheirUtf8Length() throws IOException {
    response.setContentLength(4);
    response.getWriter().write("\uD83D\uDE00");
    assertHookRanOnceBeforeCommit();
  }

  @Test
  void writerCountsConservativelyForUtf16() throws IOException {
    response.setCharacterEncoding("UTF-16BE");
    response.setBufferSize(30);
    PrintWriter writer = response.getWriter();
    for (int i = 0; i < 4; i++) {
      writer.write("ab");
    }
    assertHookNotCalled();
    writer.write("ab");
    assertHookRanOnceBeforeCommit();
    assertThat(fake.body.size()).isLessThan(30);
  }

  @Test
  void writerUnderLatin1CountsAtLeastOneBytePerCharacter() throws IOException {
    response.setCharacterEncoding("ISO-8859-1");
    response.setContentLength(3);
    response.getWriter().write("abc");
    assertHookRanOnceBeforeCommit();
  }

  @Test
  void streamPrintCountsTextConservatively() throws IOException {
    response.setContentLength(2);
    response.getOutputStream().print("é");
    assertThat(h.hookCalls).isEqualTo(1);
  }

  // ---- the hook adds headers -----------------------------------------------------------------

  @Test
  void hookAddsHeadersBeforeTheBufferOverflows() throws IOException {
    h.extra = () -> fake.addHeader("Set-Cookie", "ajs_anonymous_id=abc");
    response.setBufferSize(100);
    ServletOutputStream out = response.getOutputStream();
    for (int i = 0; i < 10; i++) {
      out.write(bytes(20));
    }
    assertThat(fake.getHeaders("Set-Cookie")).containsExactly("ajs_anonymous_id=abc");
    assertThat(fake.calls).doesNotContain("ignored header Set-Cookie");
    assertThat(fake.isCommitted()).isTrue();
  }

  @Test
  void hookAddsHeadersBeforeALargeFirstWrite() throws IOException {
    h.extra = () -> fake.addHeader("Set-Cookie", "ajs_anonymous_id=abc");
    response.setBufferSize(100);
    response.getWriter().write("x".repeat(300));
    assertThat(fake.getHeaders("Set-Cookie")).containsExactly("ajs_anonymous_id=abc");
    assertThat(fake.calls).startsWith("hook", "write 300");
  }

  @Test
  void hookAddsHeadersBeforeContentLengthIsReached() throws IOException {
    h.extra = () -> fake.addHeader("Set-Cookie", "ajs_user_id=u1");
    response.setContentLength(3);
    response.getWriter().print("abc");
    assertThat(fake.getHeaders("Set-Cookie")).containsExactly("ajs_user_id=u1");
  }

  @Test
  void hookAddingHeadersThroughTheWrapperDoesNotRecurse() throws IOException {
    h.extra = () -> response.addHeader("Set-Cookie", "a=b");
    response.flushBuffer();
    assertThat(fake.getHeaders("Set-Cookie")).containsExactly("a=b");
    assertThat(h.hookCalls).isEqualTo(1);
  }

  @Test
  void hookThatFlushesTheWrapperDoesNotRecurse() throws IOException {
    h.extra = () -> {
      try {
        response.flushBuffer();
      } catch (IOException e) {
        throw new AssertionError(e);
      }
    };
    response.sendError(400);
    assertThat(h.hookCalls).isEqualTo(1);
    assertThat(fake.calls).containsExactly("hook", "flushBuffer", "sendError 400");
  }

  // ---- a response committed elsewhere --------------------------------------------------------

  @Test
  void hookStillRunsOnceOnAResponseCommittedElsewhereAndCanTell() throws IOException {
    fake.commitBehindTheWrappersBack();
    response.flushBuffer();
    assertThat(h.hookCalls).isEqualTo(1);
    assertThat(h.committedAtHook).isTrue();
  }

  @Test
  void onChainEndOnAResponseCommittedElsewhereRunsHookWhichSeesTheCommit() {
    boolean[] seen = new boolean[1];
    h.extra = () -> seen[0] = response.isCommitted();
    fake.commitBehindTheWrappersBack();
    response.onChainEnd();
    assertThat(seen[0]).isTrue();
  }

  // ---- a hook that throws --------------------------------------------------------------------

  @Test
  void exceptionFromHookPropagatesAndTheTriggerIsNotCarriedOut() {
    h.extra = () -> {
      throw new IllegalStateException("store down");
    };
    assertThatThrownBy(response::flushBuffer).hasMessage("store down");
    assertThat(response.isHookCalled()).isTrue();
    assertThat(fake.calls).containsExactly("hook");
  }

  @Test
  void hookThatThrewIsNotCalledAgain() throws IOException {
    h.extra = () -> {
      throw new IllegalStateException("store down");
    };
    assertThatThrownBy(response::onChainEnd).isInstanceOf(IllegalStateException.class);
    response.flushBuffer();
    assertThat(h.hookCalls).isEqualTo(1);
    assertThat(fake.calls).containsExactly("hook", "flushBuffer");
  }

  @Test
  void exceptionFromHookOnAWriteKeepsTheBytesBack() throws IOException {
    h.extra = () -> {
      throw new IllegalStateException("store down");
    };
    response.setContentLength(3);
    PrintWriter writer = response.getWriter();
    assertThatThrownBy(() -> writer.write("abc")).hasMessage("store down");
    assertThat(fake.body.size()).isZero();
  }

  // ---- writer and stream objects -------------------------------------------------------------

  @Test
  void getWriterReturnsTheSameWriterEachTime() throws IOException {
    assertThat(response.getWriter()).isSameAs(response.getWriter());
  }

  @Test
  void getOutputStreamReturnsTheSameStreamEachTime() throws IOException {
    assertThat(response.getOutputStream()).isSameAs(response.getOutputStream());
  }

  @Test
  void writerPassesTextThrough() throws IOException {
    PrintWriter writer = response.getWriter();
    writer.print("héllo ");
    writer.printf("%d%%", 42);
    writer.flush();
    assertThat(fake.bodyText()).isEqualTo("héllo 42%");
  }

  @Test
  void streamPassesBytesThrough() throws IOException {
    ServletOutputStream out = response.getOutputStream();
    out.write(new byte[] {1, 2, 3}, 1, 2);
    out.write(4);
    assertThat(fake.body.toByteArray()).containsExactly(2, 3, 4);
  }

  @Test
  void streamIsReadyDelegates() throws IOException {
    assertThat(response.getOutputStream().isReady()).isTrue();
    assertThat(fake.calls).containsExactly("isReady");
    assertHookNotCalled();
  }

  @Test
  void streamSetWriteListenerDelegates() throws IOException {
    WriteListener listener = new WriteListener() {
      @Override
      public void onWritePossible() { }

      @Override
      public void onError(Throwable t) { }
    };
    response.getOutputStream().setWriteListener(listener);
    assertThat(fake.calls).containsExactly("setWriteListener");
    assertHookNotCalled();
  }

  @Test
  void streamWriteWithBadBoundsIsRejectedBeforeCounting() throws IOException {
    response.setContentLength(2);
    ServletOutputStream out = response.getOutputStream();
    assertThatThrownBy(() -> out.write(new byte[2], 1, 5))
        .isInstanceOf(IndexOutOfBoundsException.class);
    assertHookNotCalled();
  }

  // ---- every writer method is counted --------------------------------------------------------

  /**
   * Checks that {@code action} is counted as exactly {@code bytes} bytes: a content length one
   * byte longer is not reached, and a content length of exactly that many bytes runs the hook
   * before the last of the text passes on.
   */
  private static void assertWriterCounts(int bytes, Consumer<PrintWriter> action) throws IOException {
    Harness under = new Harness();
    under.response.setContentLength(bytes + 1);
    action.accept(under.response.getWriter());
    assertThat(under.hookCalls).as("hook with content length %d", bytes + 1).isZero();

    Harness exact = new Harness();
    exact.response.setContentLength(bytes);
    action.accept(exact.response.getWriter());
    assertThat(exact.hookCalls).as("hook with content length %d", bytes).isEqualTo(1);
    assertThat(exact.bodyBytesAtHook).isLessThan(bytes);
    assertThat(exact.committedAtHook).isFalse();
  }

  private static final int EOL = System.lineSeparator().length();

  @Test
  void writerWriteIntIsCounted() throws IOException {
    assertWriterCounts(1, w -> w.write('a'));
  }

  @Test
  void writerWriteCharArrayIsCounted() throws IOException {
    assertWriterCounts(3, w -> w.write(new char[] {'a', 'b', 'c'}));
  }

  @Test
  void writerWriteCharArrayRangeIsCounted() throws IOException {
    assertWriterCounts(2, w -> w.write(new char[] {'a', 'b', 'c', 'd'}, 1, 2));
  }

  @Test
  void writerWriteStringIsCounted() throws IOException {
    assertWriterCounts(5, w -> w.write("hello"));
  }

  @Test
  void writerWriteStringRangeIsCounted() throws IOException {
    assertWriterCounts(3, w -> w.write("hello", 1, 3));
  }

  @Test
  void writerPrintBooleanIsCounted() throws IOException {
    assertWriterCounts(5, w -> w.print(false));
  }

  @Test
  void writerPrintCharIsCounted() throws IOException {
    assertWriterCounts(1, w -> w.print('x'));
  }

  @Test
  void writerPrintIntIsCounted() throws IOException {
    assertWriterCounts(4, w -> w.print(-123));
  }

  @Test
  void writerPrintLongIsCounted() throws IOException {
    assertWriterCounts(11, w -> w.print(10_000_000_000L));
  }

  @Test
  void writerPrintFloatIsCounted() throws IOException {
    assertWriterCounts(3, w -> w.print(1.5f));
  }

  @Test
  void writerPrintDoubleIsCounted() throws IOException {
    assertWriterCounts(4, w -> w.print(2.25d));
  }

  @Test
  void writerPrintCharArrayIsCounted() throws IOException {
    assertWriterCounts(2, w -> w.print(new char[] {'o', 'k'}));
  }

  @Test
  void writerPrintStringIsCounted() throws IOException {
    assertWriterCounts(3, w -> w.print("abc"));
  }

  @Test
  void writerPrintNullStringIsCountedAsNull() throws IOException {
    assertWriterCounts(4, w -> w.print((String) null));
  }

  @Test
  void writerPrintObjectIsCounted() throws IOException {
    assertWriterCounts(6, w -> w.print(new StringBuilder("object")));
  }

  @Test
  void writerPrintlnIsCounted() throws IOException {
    assertWriterCounts(EOL, PrintWriter::println);
  }

  @Test
  void writerPrintlnStringIsCounted() throws IOException {
    assertWriterCounts(3 + EOL, w -> w.println("abc"));
  }

  @Test
  void writerPrintlnIntIsCounted() throws IOException {
    assertWriterCounts(2 + EOL, w -> w.println(42));
  }

  @Test
  void writerPrintlnObjectIsCounted() throws IOException {
    assertWriterCounts(4 + EOL, w -> w.println((Object) null));
  }

  @Test
  void writerPrintfIsCounted() throws IOException {
    assertWriterCounts(6, w -> w.printf("%s-%d", "ab", 123));
  }

  @Test
  void writerPrintfWithLocaleIsCounted() throws IOException {
    assertWriterCounts(3, w -> w.printf(Locale.GERMANY, "%.1f", 1.5));
  }

  @Test
  void writerFormatIsCounted() throws IOException {
    assertWriterCounts(5, w -> w.format("%05d", 7));
  }

  @Test
  void writerFormatWithLocaleIsCounted() throws IOException {
    assertWriterCounts(5, w -> w.format(Locale.US, "%,d", 1000));
  }

  @Test
  void writerAppendCharIsCounted() throws IOException {
    assertWriterCounts(1, w -> w.append('z'));
  }

  @Test
  void writerAppendCharSequenceIsCounted() throws IOException {
    assertWriterCounts(3, w -> w.append("xyz"));
  }

  @Test
  void writerAppendCharSequenceRangeIsCounted() throws IOException {
    assertWriterCounts(2, w -> w.append("wxyz", 1, 3));
  }

  @Test
  void writerAppendNullIsCountedAsNull() throws IOException {
    assertWriterCounts(4, w -> w.append(null));
  }

  // ---- every stream method is counted --------------------------------------------------------

  private interface StreamAction {
    void accept(ServletOutputStream out) throws IOException;
  }

  /** As {@link #assertWriterCounts}, for the output stream. */
  private static void assertStreamCounts(int bytes, StreamAction action) throws IOException {
    Harness under = new Harness();
    under.response.setContentLength(bytes + 1);
    action.accept(under.response.getOutputStream());
    assertThat(under.hookCalls).as("hook with content length %d", bytes + 1).isZero();

    Harness exact = new Harness();
    exact.response.setContentLength(bytes);
    action.accept(exact.response.getOutputStream());
    assertThat(exact.hookCalls).as("hook with content length %d", bytes).isEqualTo(1);
    assertThat(exact.bodyBytesAtHook).isLessThan(bytes);
    assertThat(exact.committedAtHook).isFalse();
  }

  @Test
  void streamWriteIntIsCounted() throws IOException {
    assertStreamCounts(1, out -> out.write(7));
  }

  @Test
  void streamWriteByteArrayIsCounted() throws IOException {
    assertStreamCounts(3, out -> out.write(new byte[3]));
  }

  @Test
  void streamWriteByteArrayRangeIsCounted() throws IOException {
    assertStreamCounts(2, out -> out.write(new byte[5], 3, 2));
  }

  @Test
  void streamPrintStringIsCounted() throws IOException {
    assertStreamCounts(3, out -> out.print("abc"));
  }

  @Test
  void streamPrintBooleanIsCounted() throws IOException {
    assertStreamCounts(4, out -> out.print(true));
  }

  @Test
  void streamPrintCharIsCounted() throws IOException {
    assertStreamCounts(1, out -> out.print('c'));
  }

  @Test
  void streamPrintIntIsCounted() throws IOException {
    assertStreamCounts(3, out -> out.print(404));
  }

  @Test
  void streamPrintLongIsCounted() throws IOException {
    assertStreamCounts(2, out -> out.print(-1L));
  }

  @Test
  void streamPrintFloatIsCounted() throws IOException {
    assertStreamCounts(3, out -> out.print(0.5f));
  }

  @Test
  void streamPrintDoubleIsCounted() throws IOException {
    assertStreamCounts(4, out -> out.print(0.25d));
  }

  @Test
  void streamPrintlnIsCounted() throws IOException {
    assertStreamCounts(2, ServletOutputStream::println);
  }

  @Test
  void streamPrintlnStringIsCounted() throws IOException {
    assertStreamCounts(5, out -> out.println("abc"));
  }

  @Test
  void streamPrintlnBooleanIsCounted() throws IOException {
    assertStreamCounts(7, out -> out.println(false));
  }

  @Test
  void streamPrintlnCharIsCounted() throws IOException {
    assertStreamCounts(3, out -> out.println('c'));
  }

  @Test
  void streamPrintlnIntIsCounted() throws IOException {
    assertStreamCounts(4, out -> out.println(10));
  }

  @Test
  void streamPrintlnLongIsCounted() throws IOException {
    assertStreamCounts(5, out -> out.println(100L));
  }

  @Test
  void streamPrintlnFloatIsCounted() throws IOException {
    assertStreamCounts(5, out -> out.println(1.5f));
  }

  @Test
  void streamPrintlnDoubleIsCounted() throws IOException {
    assertStreamCounts(5, out -> out.println(2.5d));
  }

  // ---- the listener ------------------------------------------------------------------------

  /** Records what a listener hears, in order. */
  private static class Recording implements OnCommitResponseWrapper.Listener {
    final java.util.List<String> heard = new java.util.ArrayList<>();

    @Override
    public void beforeCommit() {
      heard.add("commit");
    }

    @Override
    public void beforeBody() {
      heard.add("body");
    }

    @Override
    public void afterReset() {
      heard.add("reset");
    }
  }

  @Test
  void listenerHearsOfEveryWriteThatDoesNotCommit() throws IOException {
    Recording listener = new Recording();
    OnCommitResponseWrapper wrapped = new OnCommitResponseWrapper(fake, listener);
    wrapped.getWriter().print("a");
    wrapped.getOutputStream().write(1);
    assertThat(listener.heard).containsExactly("body", "body");
  }

  @Test
  void listenerHearsOfAWriteThatCommitsOnlyAsTheCommit() throws IOException {
    Recording listener = new Recording();
    OnCommitResponseWrapper wrapped = new OnCommitResponseWrapper(fake, listener);
    wrapped.setContentLength(1);
    wrapped.getOutputStream().write(1);
    assertThat(listener.heard).containsExactly("commit");
  }

  @Test
  void listenerHearsOfWritesAfterTheCommitHook() throws IOException {
    Recording listener = new Recording();
    OnCommitResponseWrapper wrapped = new OnCommitResponseWrapper(fake, listener);
    wrapped.getWriter().flush();
    wrapped.getWriter().print("late");
    assertThat(listener.heard).containsExactly("commit", "body");
  }

  @Test
  void listenerHearsOfAResetAfterTheHeadersAreGone() {
    Recording listener = new Recording();
    fake.addHeader("Set-Cookie", "a=1");
    OnCommitResponseWrapper wrapped = new OnCommitResponseWrapper(fake, new Recording() {
      @Override
      public void afterReset() {
        listener.heard.add("reset with " + fake.getHeaders("Set-Cookie"));
      }
    });
    wrapped.reset();
    assertThat(listener.heard).containsExactly("reset with []");
  }

  @Test
  void emptyWritesAreNotReported() throws IOException {
    Recording listener = new Recording();
    OnCommitResponseWrapper wrapped = new OnCommitResponseWrapper(fake, listener);
    wrapped.getWriter().print("");
    wrapped.getOutputStream().write(new byte[0]);
    assertThat(listener.heard).isEmpty();
  }

  @Test
  void bodyEstimateOfTheCommonCharsetsIsSharedAndNeedsNoEncoder() {
    assertThat(OnCommitResponseWrapper.BodyEstimate.forCharset("ISO-8859-1"))
        .isSameAs(OnCommitResponseWrapper.BodyEstimate.forCharset("UTF-8"))
        .isSameAs(OnCommitResponseWrapper.BodyEstimate.forCharset(null));
    assertThat(OnCommitResponseWrapper.BodyEstimate.forCharset("UTF-16"))
        .isSameAs(OnCommitResponseWrapper.BodyEstimate.forCharset("UTF-16"));
  }
}
