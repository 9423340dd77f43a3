<%@ page contentType="text/html;charset=UTF-8" %>
<%@ taglib prefix="c" uri="jakarta.tags.core" %>
<%@ taglib prefix="analytics" uri="https://audiencekit.dev/tags" %>
<%@ taglib prefix="shop" tagdir="/WEB-INF/tags" %>
<analytics:page name="Cart" title="Your cart · Kiln & Co."/>
<shop:layout title="Your cart">
  <jsp:attribute name="scripts">
<script>if (window.analytics) { window.analytics.track("Cart Viewed"); }</script>
  </jsp:attribute>
  <jsp:body>
  <h1>Your cart</h1>
  <c:choose>
    <c:when test="${empty sessionScope.cart or sessionScope.cart.count == 0}">
      <p class="lead">Your cart is empty. <a href="${pageContext.request.contextPath}/">Browse the shop</a>.</p>
    </c:when>
    <c:otherwise>
      <div class="panel">
        <table class="lines">
          <tr><th>Product</th><th class="num">Qty</th><th class="num">Price</th></tr>
          <c:forEach var="line" items="${sessionScope.cart.lines}">
            <tr><td><c:out value="${line.product.name}"/></td><td class="num">${line.quantity}</td><td class="num">€${line.total}</td></tr>
          </c:forEach>
          <tr><td><strong>Total</strong></td><td></td><td class="num"><strong>€${sessionScope.cart.total}</strong></td></tr>
        </table>
        <form method="post" action="${pageContext.request.contextPath}/shop/checkout" class="row" style="margin-top: 18px">
          <span class="lead" style="margin: 0">
            <c:choose>
              <c:when test="${not empty sessionScope.customer}">Signed in as <c:out value="${sessionScope.customer.email}"/></c:when>
              <c:otherwise>You will be asked to log in.</c:otherwise>
            </c:choose>
          </span>
          <button type="submit" id="checkout">Check out</button>
        </form>
      </div>
    </c:otherwise>
  </c:choose>
  </jsp:body>
</shop:layout>
