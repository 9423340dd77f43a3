package dev.audiencekit.it.spring;

import dev.audiencekit.AnalyticsContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.Callable;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * Pages rendered by JSP views (every view is a forward), an order form posted then redirected, an
 * exception and a {@code sendError} that end on the container's error page, and a view rendered after
 * an async hand-off.
 */
@Controller
class OrderController {
  @GetMapping("/")
  String home() {
    return "home";
  }

  @PostMapping("/orders")
  String placeOrder(@RequestParam("item") String item, HttpServletRequest request) {
    AnalyticsContext.get(request).track("Order Placed", Map.of("item", item));
    return "redirect:/orders/done";
  }

  @GetMapping("/orders/done")
  String orderDone() {
    return "done";
  }

  @GetMapping("/boom")
  String boom() {
    throw new IllegalStateException("boom: the error page shows instead");
  }

  @GetMapping("/missing")
  void missing(HttpServletResponse response) throws IOException {
    response.sendError(HttpServletResponse.SC_NOT_FOUND);
  }

  @GetMapping("/later")
  Callable<String> later() {
    return () -> "home";
  }
}
