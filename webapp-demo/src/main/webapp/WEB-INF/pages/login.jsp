<%@ page contentType="text/html;charset=UTF-8" %>
<%@ taglib prefix="c" uri="jakarta.tags.core" %>
<%@ taglib prefix="analytics" uri="https://audiencekit.dev/tags" %>
<%@ taglib prefix="shop" tagdir="/WEB-INF/tags" %>
<analytics:page name="Login" title="Log in · Kiln & Co."/>
<shop:layout title="Log in">
  <div class="panel" style="max-width: 420px">
    <h1>Log in</h1>
    <c:if test="${not empty param.error}"><p class="notice">Please give an e-mail address and a name.</p></c:if>
    <c:if test="${param.next == 'checkout'}"><p class="notice">Log in to check out your cart.</p></c:if>
    <p class="lead">No password in this demo: your e-mail is your account.</p>
    <form method="post" action="${pageContext.request.contextPath}/shop/login">
      <c:if test="${param.next == 'checkout'}"><input type="hidden" name="next" value="checkout"></c:if>
      <label>E-mail <input type="email" name="email" id="email" required autocomplete="email"></label>
      <label>Name <input type="text" name="name" id="name" required autocomplete="name"></label>
      <button type="submit" id="login">Log in</button>
    </form>
  </div>
</shop:layout>
