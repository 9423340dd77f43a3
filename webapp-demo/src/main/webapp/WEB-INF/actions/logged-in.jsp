<%@ taglib prefix="c" uri="jakarta.tags.core" %>
<%@ taglib prefix="analytics" uri="https://audiencekit.dev/tags" %>
<%-- POST /shop/login, after ShopServlet put the customer in the session. --%>
<analytics:identify userId="${sessionScope.customer.id}">
  <analytics:trait name="email" value="${sessionScope.customer.email}"/>
  <analytics:trait name="name" value="${sessionScope.customer.name}"/>
</analytics:identify>
<c:redirect url="${param.next == 'checkout' ? '/cart' : '/'}"/>
