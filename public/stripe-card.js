// Card payments through Stripe.js, on the order page only, when the site runs on
// Stripe: Stripe's Payment Element takes the card details (they go to Stripe, never
// to Tianguis) and confirms the PaymentIntent; Stripe then sends the payer back here,
// and the page asks the server to read the payment's state from Stripe (the order is
// marked paid by that server-side check or by the webhook, never by this script).
(function () {
  var mount = document.getElementById("card-element");
  if (!mount || typeof Stripe !== "function") return;
  var params = new URLSearchParams(location.search);
  if (params.get("redirect_status")) {
    var check = document.querySelector("form[action$='/check']");
    if (check) { check.submit(); return; }
  }
  var stripe = Stripe(mount.dataset.key);
  var elements = stripe.elements({ clientSecret: mount.dataset.secret });
  elements.create("payment", { paymentMethodOrder: ["card"] }).mount(mount);
  var button = document.getElementById("card-pay");
  var errors = document.getElementById("card-errors");
  button.hidden = false;
  button.addEventListener("click", function () {
    button.disabled = true;
    stripe.confirmPayment({
      elements: elements,
      confirmParams: { return_url: location.origin + mount.dataset.return }
    }).then(function (result) {
      if (result.error) { errors.textContent = result.error.message; button.disabled = false; }
    });
  });
})();
