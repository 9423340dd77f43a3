<%@ page session="false" %>
<%@ taglib prefix="c" uri="jakarta.tags.core" %>
<%@ taglib prefix="analytics" uri="https://audiencekit.dev/tags" %>
<%-- POST /shop/logout, after ShopServlet ended the session: the last event as the user, then forget them. --%>
<analytics:track event="Signed Out"/>
<analytics:reset/>
<c:redirect url="/"/>
