<%@ taglib prefix="c" uri="jakarta.tags.core" %>
<%@ taglib prefix="analytics" uri="https://audiencekit.dev/tags" %>
<%-- POST /shop/order, after ShopServlet completed the order. ip="" keeps the IP out of this event. --%>
<analytics:track event="Order Completed" properties="${sessionScope.lastOrder.properties}" ip=""/>
<c:redirect url="/order"/>
