<%@ page contentType="text/html;charset=UTF-8" import="dev.audiencekit.demo.Catalog" %>
<%@ taglib prefix="c" uri="jakarta.tags.core" %>
<%@ taglib prefix="analytics" uri="https://audiencekit.dev/tags" %>
<%@ taglib prefix="shop" tagdir="/WEB-INF/tags" %>
<analytics:page name="Home" title="Kiln & Co."/>
<shop:layout title="Shop">
  <h1>Small things for slow mornings</h1>
  <p class="lead">Three objects, made in small batches. Browse, add one to your cart, log in and check out,
    then open the <a href="${pageContext.request.contextPath}/inspector">identity inspector</a> to see what was recorded.</p>
  <div class="grid">
    <c:forEach var="p" items="${Catalog.products()}">
      <div class="card">
        <a href="${pageContext.request.contextPath}/product?sku=${p.sku}"><shop:art product="${p}" height="170"/></a>
        <div class="body">
          <h2><c:out value="${p.name}"/></h2>
          <p><c:out value="${p.blurb}"/></p>
          <div class="row">
            <span class="price">€${p.price}</span>
            <a class="button ghost" id="view-${p.sku}" href="${pageContext.request.contextPath}/product?sku=${p.sku}">View</a>
          </div>
        </div>
      </div>
    </c:forEach>
  </div>
</shop:layout>
