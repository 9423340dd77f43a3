package dev.audiencekit.demo;

import dev.audiencekit.AnalyticsContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The shop's form posts ({@code POST /shop/<action>}). It changes the session's state (cart, customer,
 * order), then forwards to a JSP under {@code /WEB-INF/actions/} that records the event with the
 * audiencekit tags and redirects (post/redirect/get), so the analytics stay in the pages.
 */
public final class ShopServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]{1,190}");

  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response)
      throws ServletException, IOException {
    request.setCharacterEncoding("UTF-8");
    String action = request.getPathInfo() == null ? "" : request.getPathInfo();
    switch (action) {
      case "/cart/add" -> addToCart(request, response);
      case "/login" -> login(request, response);
      case "/checkout" -> checkout(request, response);
      case "/order" -> order(request, response);
      case "/logout" -> logout(request, response);
      case "/consent" -> consent(request, response);
      default -> response.sendError(HttpServletResponse.SC_NOT_FOUND);
    }
  }

  private void addToCart(HttpServletRequest request, HttpServletResponse response)
      throws ServletException, IOException {
    Optional<Product> product = Catalog.find(request.getParameter("sku"));
    if (product.isEmpty()) {
      response.sendError(HttpServletResponse.SC_BAD_REQUEST, "unknown product");
      return;
    }
    Cart cart = cart(request.getSession());
    cart.add(product.get());
    request.setAttribute("product", product.get());
    request.setAttribute("quantity", cart.quantity(product.get().getSku()));
    forward("product-added", request, response);
  }

  private void login(HttpServletRequest request, HttpServletResponse response)
      throws ServletException, IOException {
    String email = request.getParameter("email");
    String name = request.getParameter("name");
    if (email == null || !EMAIL.matcher(email.trim()).matches() || name == null || name.isBlank()
        || name.length() > 100) {
      response.sendRedirect(request.getContextPath() + "/login?error=1");
      return;
    }
    HttpSession session = request.getSession();
    session.setAttribute(Customer.ATTRIBUTE, Customer.of(email, name));
    forward("logged-in", request, response);
  }

  private void checkout(HttpServletRequest request, HttpServletResponse response)
      throws ServletException, IOException {
    HttpSession session = request.getSession();
    Cart cart = cart(session);
    if (session.getAttribute(Customer.ATTRIBUTE) == null) {
      response.sendRedirect(request.getContextPath() + "/login?next=checkout");
      return;
    }
    if (cart.isEmpty()) {
      response.sendRedirect(request.getContextPath() + "/cart");
      return;
    }
    session.setAttribute(Order.CHECKOUT, new Order(cart));
    forward("checkout-started", request, response);
  }

  private void order(HttpServletRequest request, HttpServletResponse response)
      throws ServletException, IOException {
    HttpSession session = request.getSession();
    Order order = (Order) session.getAttribute(Order.CHECKOUT);
    if (order == null || session.getAttribute(Customer.ATTRIBUTE) == null) {
      response.sendRedirect(request.getContextPath() + "/cart");
      return;
    }
    session.removeAttribute(Order.CHECKOUT);
    session.setAttribute(Order.COMPLETED, order);
    cart(session).clear();
    forward("order-completed", request, response);
  }

  private void logout(HttpServletRequest request, HttpServletResponse response)
      throws ServletException, IOException {
    HttpSession session = request.getSession(false);
    if (session != null) {
      session.invalidate();
    }
    forward("logged-out", request, response);
  }

  /**
   * The banner's and the privacy page's form without JavaScript: {@code choice=accept|decline}. The filter
   * writes the {@code shop_consent} cookie, and sets (accept) or deletes (decline after accept) the identity
   * cookies on this response; then back to {@code next}, a path of this shop.
   */
  private void consent(HttpServletRequest request, HttpServletResponse response) throws IOException {
    String choice = request.getParameter("choice");
    if (!"accept".equals(choice) && !"decline".equals(choice)) {
      response.sendError(HttpServletResponse.SC_BAD_REQUEST, "choice must be accept or decline");
      return;
    }
    AnalyticsContext.get(request).consent("accept".equals(choice) ? ConsentView.ACCEPT : ConsentView.DECLINE);
    if ("decline".equals(choice)) {
      // analytics.js keeps copies of its ids in localStorage; a declined visitor keeps none of them
      response.setHeader("Clear-Site-Data", "\"storage\"");
    }
    String next = request.getParameter("next");
    boolean local = next != null && next.startsWith("/") && !next.startsWith("//") && !next.contains("\\")
        && next.length() < 300 && next.chars().noneMatch(c -> c < ' ');
    response.sendRedirect(request.getContextPath() + (local ? next : "/"));
  }

  static Cart cart(HttpSession session) {
    Cart cart = (Cart) session.getAttribute(Cart.ATTRIBUTE);
    if (cart == null) {
      cart = new Cart();
      session.setAttribute(Cart.ATTRIBUTE, cart);
    }
    return cart;
  }

  private static void forward(String page, HttpServletRequest request, HttpServletResponse response)
      throws ServletException, IOException {
    request.getRequestDispatcher("/WEB-INF/actions/" + page + ".jsp").forward(request, response);
  }
}
