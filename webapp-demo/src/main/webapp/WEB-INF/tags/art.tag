<%@ tag description="A product's illustration, an inline SVG drawn in the catalogue's colour" pageEncoding="UTF-8" trimDirectiveWhitespaces="true" %>
<%@ attribute name="product" required="true" type="dev.audiencekit.demo.Product" %>
<%@ attribute name="height" required="true" %>
<%@ taglib prefix="c" uri="jakarta.tags.core" %>
<%@ taglib prefix="fn" uri="jakarta.tags.functions" %>
<svg viewBox="0 0 320 200" width="100%" height="${height}" role="img" aria-label="${fn:escapeXml(product.name)}" style="display:block; background:${product.color}1f">
  <g fill="${product.color}">
  <c:choose>
    <c:when test="${fn:startsWith(product.sku, 'MUG')}">
    <rect x="115" y="62" width="80" height="92" rx="10"/>
    <path d="M195 84 h16 a22 22 0 0 1 0 44 h-16 v-12 h14 a10 10 0 0 0 0 -20 h-14 z"/>
    <rect x="105" y="156" width="100" height="8" rx="4" opacity=".35"/>
    </c:when>
    <c:when test="${fn:startsWith(product.sku, 'TOWEL')}">
    <rect x="150" y="26" width="20" height="18" rx="4" opacity=".6"/>
    <rect x="110" y="40" width="100" height="128" rx="6"/>
    <rect x="110" y="62" width="100" height="8" fill="#fff" opacity=".7"/>
    <rect x="110" y="140" width="100" height="8" fill="#fff" opacity=".7"/>
    </c:when>
    <c:otherwise>
    <path d="M112 150 q-4 -62 48 -70 q52 8 48 70 z"/>
    <rect x="146" y="66" width="28" height="14" rx="5"/>
    <path d="M204 128 q30 -8 40 -44 l7 3 q-8 40 -45 52 z"/>
    <rect x="104" y="150" width="112" height="10" rx="5" opacity=".35"/>
    </c:otherwise>
  </c:choose>
  </g>
</svg>
