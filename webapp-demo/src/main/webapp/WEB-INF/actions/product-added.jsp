<%@ page session="false" %>
<%@ taglib prefix="c" uri="jakarta.tags.core" %>
<%@ taglib prefix="analytics" uri="https://audiencekit.dev/tags" %>
<%-- POST /shop/cart/add, after ShopServlet put the product in the cart. --%>
<analytics:track event="Product Added" properties="${product.properties}">
  <analytics:property name="quantity" value="${1}"/>
  <analytics:property name="cart_quantity" value="${quantity}"/>
</analytics:track>
<c:redirect url="/cart"/>
