//! The emails accounts send, in Spanish and English. Plain text: it reads on any
//! phone, and a link is the only thing in it that matters.

use domain::Lang;

pub struct Message {
    pub subject: String,
    pub body: String,
}

pub fn verify_email(lang: Lang, name: &str, link: &str) -> Message {
    match lang {
        Lang::Es => Message {
            subject: "Confirma tu correo en Tianguis".to_owned(),
            body: format!(
                "Hola, {name}:\n\nPara confirmar que este correo es tuyo, abre este enlace \
                 (vale 24 horas):\n\n{link}\n\nSi no creaste una cuenta en Tianguis, ignora \
                 este mensaje.\n"
            ),
        },
        Lang::En => Message {
            subject: "Confirm your email on Tianguis".to_owned(),
            body: format!(
                "Hello {name},\n\nTo confirm this email is yours, open this link (it works \
                 for 24 hours):\n\n{link}\n\nIf you did not create a Tianguis account, ignore \
                 this message.\n"
            ),
        },
    }
}

pub fn reset_password(lang: Lang, name: &str, link: &str) -> Message {
    match lang {
        Lang::Es => Message {
            subject: "Cambia tu contraseña de Tianguis".to_owned(),
            body: format!(
                "Hola, {name}:\n\nAlguien pidió cambiar la contraseña de tu cuenta. Para \
                 elegir una nueva, abre este enlace (vale 1 hora y una sola vez):\n\n{link}\n\n\
                 Si no fuiste tú, ignora este mensaje: tu contraseña sigue igual.\n"
            ),
        },
        Lang::En => Message {
            subject: "Change your Tianguis password".to_owned(),
            body: format!(
                "Hello {name},\n\nSomeone asked to change your account's password. To choose \
                 a new one, open this link (it works once, for 1 hour):\n\n{link}\n\nIf it \
                 was not you, ignore this message: your password stays as it is.\n"
            ),
        },
    }
}

/// An invitation to sell through a cooperative on Tianguis.
pub fn invitation(lang: Lang, cooperative: &str, invited_by: &str, link: &str) -> Message {
    match lang {
        Lang::Es => Message {
            subject: format!("{cooperative} te invita a Tianguis"),
            body: format!(
                "Hola:\n\n{invited_by} te invita a vender tus productos o recorridos en \
                 Tianguis como parte de {cooperative}. Para aceptar, abre este enlace (vale \
                 14 días) y entra o crea tu cuenta con este mismo correo:\n\n{link}\n\n\
                 Si no esperabas esta invitación, ignora este mensaje.\n"
            ),
        },
        Lang::En => Message {
            subject: format!("{cooperative} invites you to Tianguis"),
            body: format!(
                "Hello,\n\n{invited_by} invites you to sell your crafts or tours on Tianguis \
                 as part of {cooperative}. To accept, open this link (it works for 14 days) \
                 and sign in or create your account with this same email:\n\n{link}\n\n\
                 If you did not expect this invitation, ignore this message.\n"
            ),
        },
    }
}
