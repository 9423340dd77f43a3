<%@ taglib prefix="c" uri="jakarta.tags.core" %>
<%@ taglib prefix="analytics" uri="https://audiencekit.dev/tags" %>
<%-- POST /shop/checkout, after ShopServlet opened the order. --%>
<analytics:track event="Checkout Started" properties="${sessionScope.checkout.properties}"/>
<c:redirect url="/checkout"/>
