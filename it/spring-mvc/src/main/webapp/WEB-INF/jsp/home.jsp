<%@ page contentType="text/html;charset=UTF-8" %>
<%@ taglib prefix="analytics" uri="https://audiencekit.dev/tags" %>
<analytics:page name="Home"/>
<!doctype html>
<html><head><title>Orders</title></head>
<body>
<p>Visitor <span id="anonymous-id"><analytics:anonymousId/></span></p>
<form method="post" action="${pageContext.request.contextPath}/orders">
  <input name="item" value="mug"><button>Order</button>
</form>
<analytics:snippet writeKey="wk-spring" src="/analytics.js"/>
</body></html>
