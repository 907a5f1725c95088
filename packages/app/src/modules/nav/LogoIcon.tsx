import { makeStyles } from '@material-ui/core';

const useStyles = makeStyles({
  svg: {
    width: 'auto',
    height: 28,
  },
  cross: {
    fill: '#4fd1c5',
  },
});

/** The platform's compact logo, shown when the sidebar is collapsed. */
export const LogoIcon = () => {
  const classes = useStyles();

  return (
    <svg
      className={classes.svg}
      xmlns="http://www.w3.org/2000/svg"
      viewBox="0 0 40 40"
      role="img"
      aria-label="Prontuário Médico"
    >
      <path
        className={classes.cross}
        d="M13 2h12v11h11v12H25v13H13V25H2V13h11z"
      />
    </svg>
  );
};
