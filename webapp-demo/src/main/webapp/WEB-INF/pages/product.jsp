<%@ page contentType="text/html;charset=UTF-8" import="dev.audiencekit.demo.Catalog" %>
<%@ taglib prefix="c" uri="jakarta.tags.core" %>
<%@ taglib prefix="analytics" uri="https://audiencekit.dev/tags" %>
<%@ taglib prefix="shop" tagdir="/WEB-INF/tags" %>
<c:set var="product" value="${Catalog.find(param.sku).orElse(null)}"/>
<c:if test="${empty product}"><c:redirect url="/"/></c:if>
<c:if test="${not empty product}">
<analytics:page category="Products" name="${product.name}" title="${product.name} · Kiln & Co." properties="${product.properties}"/>
<shop:layout title="${product.name}">
  <jsp:attribute name="scripts">
<script>
  (function () {
    var el = document.getElementById("product");
    if (!window.analytics) { return; } // not tracked: the snippet rendered nothing
    window.analytics.track("Product Viewed", {sku: el.getAttribute("data-sku"), name: el.getAttribute("data-name")});
  })();
</script>
  </jsp:attribute>
  <jsp:body>
  <div class="product" id="product" data-sku="<c:out value='${product.sku}'/>" data-name="<c:out value='${product.name}'/>">
    <div class="card"><shop:art product="${product}" height="320"/></div>
    <div class="panel">
      <h1><c:out value="${product.name}"/></h1>
      <p class="lead"><c:out value="${product.blurb}"/></p>
      <p class="price" style="font-size: 22px">€${product.price}</p>
      <form method="post" action="${pageContext.request.contextPath}/shop/cart/add">
        <input type="hidden" name="sku" value="<c:out value='${product.sku}'/>">
        <button type="submit" id="add-to-cart">Add to cart</button>
      </form>
      <p style="margin-top: 18px; font-size: 14px; color: var(--muted)">Free shipping over €50. Ships in 2–3 days.</p>
    </div>
  </div>
  </jsp:body>
</shop:layout>
</c:if>
