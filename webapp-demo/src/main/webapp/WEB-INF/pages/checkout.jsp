<%@ page contentType="text/html;charset=UTF-8" %>
<%@ taglib prefix="c" uri="jakarta.tags.core" %>
<%@ taglib prefix="analytics" uri="https://audiencekit.dev/tags" %>
<%@ taglib prefix="shop" tagdir="/WEB-INF/tags" %>
<c:if test="${empty sessionScope.checkout}"><c:redirect url="/cart"/></c:if>
<analytics:page name="Checkout" title="Checkout · Kiln & Co."/>
<shop:layout title="Checkout">
  <h1>Checkout</h1>
  <p class="lead">Order <span class="mono"><c:out value="${sessionScope.checkout.id}"/></span> for
    <c:out value="${sessionScope.customer.name}"/> (<c:out value="${sessionScope.customer.email}"/>).</p>
  <div class="panel" style="max-width: 520px">
    <table class="lines">
      <c:forEach var="line" items="${sessionScope.cart.lines}">
        <tr><td><c:out value="${line.product.name}"/> × ${line.quantity}</td><td class="num">€${line.total}</td></tr>
      </c:forEach>
      <tr><td><strong>Total</strong></td><td class="num"><strong>€${sessionScope.checkout.total}</strong></td></tr>
    </table>
    <form method="post" action="${pageContext.request.contextPath}/shop/order" style="margin-top: 18px">
      <button type="submit" id="place-order">Place order</button>
    </form>
  </div>
</shop:layout>
