<%@ page contentType="text/html;charset=UTF-8" %>
<%@ taglib prefix="c" uri="jakarta.tags.core" %>
<%@ taglib prefix="analytics" uri="https://audiencekit.dev/tags" %>
<%@ taglib prefix="shop" tagdir="/WEB-INF/tags" %>
<c:if test="${empty sessionScope.lastOrder}"><c:redirect url="/"/></c:if>
<analytics:page name="Order Confirmation" title="Thank you · Kiln & Co."/>
<shop:layout title="Thank you">
  <div class="panel" style="max-width: 560px">
    <h1>Thank you, <c:out value="${sessionScope.customer.name}"/>!</h1>
    <p class="lead">Order <span class="mono" id="order-id"><c:out value="${sessionScope.lastOrder.id}"/></span>,
      €${sessionScope.lastOrder.total}, is on its way.</p>
    <p>The <em>Order Completed</em> event went out with <code>context.ip = ""</code>: the IP address is kept out of it.
      See it on the <a href="${pageContext.request.contextPath}/inspector">identity inspector</a>.</p>
  </div>
</shop:layout>
